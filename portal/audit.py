"""Writing audit events. Call inside the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest

from .clientip import client_ip  # the one rule (TRUSTED_PROXY_COUNT); re-exported for existing callers
from .models import AuditEvent, District, User

__all__ = ["audit_log", "audit_maintenance", "client_ip"]


def audit_log(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    subject_user_id: int | None = None,
    district: District | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Write one event. `ip_address`: the client's address when there is no request to read it from
    (a background job acting for a request); the event is written whole, once — on PostgreSQL the
    table refuses any later UPDATE."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        subject_user_id=subject_user_id,
        district=district,
        ip_address=client_ip(request) or ip_address or None,
        data=data or {},
    )


# The transaction setting the append-only trigger on the audit table (PostgreSQL, migration 0009) reads.
MAINTENANCE_SETTING = "hana.audit_maintenance"


@contextmanager
def audit_maintenance() -> Iterator[None]:
    """A transaction in which audit events may be deleted: the retention job's, and no one else's.

    On PostgreSQL the audit table refuses UPDATE, DELETE and TRUNCATE unless this setting is on. It is
    set with SET LOCAL semantics (set_config(..., true)), so it ends with the transaction and never
    leaks to the next user of a pooled connection. Elsewhere (SQLite) there is no trigger: a no-op.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [MAINTENANCE_SETTING])
        yield
