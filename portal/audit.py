"""Writing audit events. Call inside the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .clientip import client_ip  # the one rule (TRUSTED_PROXY_COUNT); re-exported for existing callers
from .models import AuditEvent, District, User

__all__ = ["audit_log", "client_ip"]


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
