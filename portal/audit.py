"""Writing audit events. Call inside the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import AuditEvent, District, User


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: gunicorn sits behind one trusted proxy that sets it (see docker-compose.yml);
    # a client-supplied X-Forwarded-For would let anyone forge the address written to the log.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def audit_log(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    subject_user_id: int | None = None,
    district: District | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        subject_user_id=subject_user_id,
        district=district,
        ip_address=client_ip(request),
        data=data or {},
    )
