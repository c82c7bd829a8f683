"""The core's own data classes in the retention table: the message outbox and the audit log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import audit_maintenance
from .models import AuditEvent, Notification
from .retention import DataClass, register

# Rows still to be sent (pending, sending) are never pruned: the sweeps end them first.
_ENDED = (Notification.Status.SENT, Notification.Status.FAILED, Notification.Status.CANCELLED)


def notifications_due(*, now, cutoff) -> models.QuerySet:
    return Notification.objects.filter(status__in=_ENDED, created_at__lt=cutoff)


def notifications_prune(*, pks, now) -> int:
    # Nothing points to a notification and no signal listens: Django deletes the batch in one statement.
    return Notification.objects.filter(pk__in=pks, status__in=_ENDED).delete()[0]


def audit_due(*, now, cutoff) -> models.QuerySet:
    # The run's own events are kept like any other: they are the record that pruning happened.
    return AuditEvent.objects.filter(created_at__lt=cutoff)


def audit_prune(*, pks, now) -> int:
    # The one place audit events are deleted: on PostgreSQL the table's trigger refuses it otherwise.
    with audit_maintenance():
        return AuditEvent.objects.filter(pk__in=pks).delete()[0]


def register_core_classes() -> None:
    register(
        DataClass(
            key="notifications",
            label=_("Messages sent to you (email, text message, notifications inbox)"),
            outcome=_("deleted"),
            setting="RETENTION_NOTIFICATIONS_DAYS",
            due=notifications_due,
            prune=notifications_prune,
            order=10,
        )
    )
    register(
        DataClass(
            key="audit",
            label=_("Records of changes and of staff viewing or exporting personal data (access log)"),
            outcome=_("deleted"),
            setting="RETENTION_AUDIT_DAYS",
            due=audit_due,
            prune=audit_prune,
            order=90,
        )
    )
