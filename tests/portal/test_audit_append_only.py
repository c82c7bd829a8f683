"""The audit table is append-only on PostgreSQL: only the retention job's transaction may prune it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from portal import retention
from portal.audit import audit_log, audit_maintenance
from portal.models import AuditEvent, User
from tests.factories import UserFactory, login

pg = pytest.mark.postgres


def refused(run) -> bool:
    """True when the statement is refused by the trigger (in a savepoint, so the test goes on)."""
    try:
        with transaction.atomic():
            run()
    except DatabaseError as exc:
        assert "append-only" in str(exc)
        return True
    return False


@pg
@pytest.mark.django_db
def test_the_orm_cannot_update_or_delete_an_audit_event():
    event = audit_log(actor=None, action="households.profile.viewed", subject_user_id=7)

    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened"))
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(subject_user_id=None))
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert refused(lambda: AuditEvent.objects.get(pk=event.pk).delete())
    event.refresh_from_db()
    assert event.action == "households.profile.viewed" and event.subject_user_id == 7


@pg
@pytest.mark.django_db
def test_raw_sql_cannot_update_or_delete_it():
    event = audit_log(actor=None, action="households.profile.viewed", subject_user_id=7)

    def sql(statement: str):
        return lambda: connection.cursor().execute(statement, [event.pk] if "%s" in statement else None)

    assert refused(sql("""UPDATE portal_auditevent SET data = '{"forged": 1}' WHERE id = %s"""))
    assert refused(sql("UPDATE portal_auditevent SET data = data WHERE id = %s"))  # even a no-op
    assert refused(sql("DELETE FROM portal_auditevent WHERE id = %s"))
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pg
@pytest.mark.django_db
def test_the_retention_job_can_prune_it(settings):
    event = audit_log(actor=None, action="households.profile.viewed", subject_user_id=7)
    later = timezone.now() + timedelta(days=settings.RETENTION_AUDIT_DAYS + 1)

    assert retention.retention_run(only=["audit"], now=later) == {"audit": 1}
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.filter(action="retention.run").exists()


@pg
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transactional test
def test_maintenance_is_off_in_the_next_transaction_and_truncate_is_refused():
    """audit_maintenance() sets the setting for its own transaction only (SET LOCAL): a pooled
    connection's next user finds the table protected again."""
    event = audit_log(actor=None, action="households.profile.viewed")
    with audit_maintenance():
        AuditEvent.objects.filter(action="nothing").delete()
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    # TRUNCATE too (a statement trigger). Here, with the event committed: in the same transaction as
    # an insert PostgreSQL refuses it anyway (pending foreign-key checks).
    assert refused(lambda: connection.cursor().execute("TRUNCATE portal_auditevent"))
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('hana.audit_maintenance', true)")
        assert cursor.fetchone()[0] in (None, "")


@pg
@pytest.mark.django_db
def test_deleting_a_staff_user_still_works_and_keeps_their_events(caseworker_a):
    event = audit_log(actor=caseworker_a, action="households.profile.viewed", subject_user_id=7)

    User.objects.filter(pk=caseworker_a.pk).delete()

    event.refresh_from_db()
    assert event.actor_id is None
    assert (event.action, event.subject_user_id) == ("households.profile.viewed", 7)


@pg
@pytest.mark.django_db
def test_nulling_the_actor_with_another_change_is_refused(caseworker_a):
    event = audit_log(actor=caseworker_a, action="households.profile.viewed")

    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(actor=None, action="x.y"))


@pytest.mark.django_db
def test_the_admin_offers_no_delete_on_audit_events(client):
    admin = UserFactory(is_staff=True, is_superuser=True, role="city_admin")
    event = audit_log(actor=None, action="households.profile.viewed")
    login(client, admin)

    listing = client.get(reverse("admin:portal_auditevent_changelist"))
    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    assert client.get(reverse("admin:portal_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.post(
        reverse("admin:portal_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    ).status_code in (200, 302, 403)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
