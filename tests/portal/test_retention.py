"""Retention by policy: the table, the nightly job's batches and audit event, the command, the beat entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal import retention
from portal.audit import audit_log
from portal.models import AuditEvent, Notification
from portal.tasks import run_retention
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL_CLASSES = {
    "notifications",
    "rejected_documents",
    "outreach_reasons",
    "bookings",
    "parcels",
    "exports",
    "dormant_accounts",
    "benefit_bank_accounts",
    "audit",
    "care_checkins",
    "care_intakes",
    "inquiries",
    "community_proposals",
}


def notification(user, status=Notification.Status.SENT, n=0) -> Notification:
    return Notification.objects.create(
        user=user,
        channel="email",
        template="t",
        event_key=f"e:{user.pk}:{status}:{n}",
        status=status,
        address=user.email,
    )


def test_every_class_is_registered_with_a_period_from_settings(settings):
    assert {c.key for c in retention.data_classes()} == ALL_CLASSES
    settings.RETENTION_NOTIFICATIONS_DAYS = 30
    assert retention.get("notifications").days == 30
    assert retention.get("audit").days >= 730


def test_ended_notifications_are_deleted_one_day_after_their_period_not_before(settings):
    settings.RETENTION_NOTIFICATIONS_DAYS = 100
    user = UserFactory()
    ended = [notification(user, s) for s in ("sent", "failed", "cancelled")]
    waiting = notification(user, Notification.Status.PENDING)
    now = timezone.now()

    assert retention.retention_run(only=["notifications"], now=now + timedelta(days=99)) == {
        "notifications": 0
    }
    assert Notification.objects.count() == 4

    assert retention.retention_run(only=["notifications"], now=now + timedelta(days=101)) == {
        "notifications": 3
    }
    assert list(Notification.objects.all()) == [waiting]
    assert not Notification.objects.filter(pk__in=[n.pk for n in ended]).exists()


def test_audit_events_past_the_period_are_deleted_and_the_run_is_audited_with_counts(settings):
    settings.RETENTION_AUDIT_DAYS = 1000
    old = audit_log(actor=None, action="households.profile.viewed", subject_user_id=1)
    now = timezone.now()

    # A dry run: a real run would add its own event, which the second run would then count too.
    assert retention.retention_run(dry_run=True, now=now + timedelta(days=999))["audit"] == 0

    counts = retention.retention_run(now=now + timedelta(days=1001))
    assert counts["audit"] == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    run = AuditEvent.objects.filter(action="retention.run").latest("id")
    assert run.data == {"counts": counts}
    assert set(run.data["counts"]) == ALL_CLASSES


def test_a_second_run_prunes_nothing_and_records_zero_counts(settings):
    user = UserFactory()
    for n in range(3):
        notification(user, n=n)
    later = timezone.now() + timedelta(days=settings.RETENTION_NOTIFICATIONS_DAYS + 1)

    first = retention.retention_run(now=later)
    second = retention.retention_run(now=later)

    assert first["notifications"] == 3
    assert set(second.values()) == {0}
    runs = list(AuditEvent.objects.filter(action="retention.run").order_by("id"))
    assert [r.data["counts"]["notifications"] for r in runs] == [3, 0]


def test_more_rows_than_a_batch_are_pruned_in_several_batches(settings, django_assert_max_num_queries):
    settings.RETENTION_BATCH_SIZE = 4
    user = UserFactory()
    for n in range(10):
        notification(user, n=n)
    keep = notification(user, Notification.Status.PENDING, n=99)
    seen: list[list[int]] = []
    original = retention.get("notifications").prune

    def spy(*, pks, now):
        seen.append(list(pks))
        return original(pks=pks, now=now)

    data_class = retention.get("notifications")
    patched = retention.DataClass(**{**data_class.__dict__, "prune": spy})
    later = timezone.now() + timedelta(days=data_class.days + 1)

    assert retention.prune_class(patched, now=later) == 10
    assert [len(batch) for batch in seen] == [4, 4, 2]
    assert list(Notification.objects.all()) == [keep]


def test_dry_run_counts_and_changes_nothing(settings):
    user = UserFactory()
    notification(user)
    later = timezone.now() + timedelta(days=settings.RETENTION_NOTIFICATIONS_DAYS + 1)

    assert retention.retention_run(dry_run=True, now=later)["notifications"] == 1
    assert Notification.objects.count() == 1
    assert not AuditEvent.objects.filter(action="retention.run").exists()


def test_the_command_prunes_and_its_dry_run_only_counts(settings, capsys):
    settings.RETENTION_NOTIFICATIONS_DAYS = 1
    notification(UserFactory())
    Notification.objects.update(created_at=timezone.now() - timedelta(days=2))

    call_command("retention", "--dry-run")
    assert "notifications: 1 due" in capsys.readouterr().out
    assert Notification.objects.count() == 1

    call_command("retention")
    assert "notifications: 1 pruned" in capsys.readouterr().out
    assert Notification.objects.count() == 0
    assert AuditEvent.objects.filter(action="retention.run").count() == 1


def test_the_command_refuses_an_unknown_class():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown class"):
        call_command("retention", "--only", "everything")


def test_the_task_runs_the_job_and_beat_runs_it_nightly_with_an_expiry(settings):
    notification(UserFactory())
    Notification.objects.update(
        created_at=timezone.now() - timedelta(days=settings.RETENTION_NOTIFICATIONS_DAYS + 1)
    )

    assert run_retention.delay().get()["notifications"] == 1
    entry = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert entry["task"] == "portal.tasks.run_retention"
    assert entry["options"]["expires"] > 0
    # The old separate export expiry job is folded into this one.
    assert "portal.exports.tasks.expire_exports" not in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_a_run_stopped_by_an_error_is_audited_with_what_it_did(settings, monkeypatch):
    notification(UserFactory())
    later = timezone.now() + timedelta(days=settings.RETENTION_NOTIFICATIONS_DAYS + 1)
    data_class = retention.get("bookings")

    def broken(**kwargs):
        raise RuntimeError("storage down")

    monkeypatch.setitem(
        retention._REGISTRY, "bookings", retention.DataClass(**{**data_class.__dict__, "due": broken})
    )
    with pytest.raises(RuntimeError):
        retention.retention_run(now=later)

    run = AuditEvent.objects.get(action="retention.run")
    assert run.data == {
        "counts": {"notifications": 1, "rejected_documents": 0, "outreach_reasons": 0},
        "stopped_by": "RuntimeError",
    }
