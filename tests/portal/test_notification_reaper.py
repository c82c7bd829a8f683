"""Rows a dead worker left `sending` end: an email is sent again under its Message-ID, a text message is
never blindly repeated (failed and held for staff, or replaced by its app's stuck handler), and every
ending is a conditional UPDATE, so nothing is sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from portal import notifications
from portal.models import Notification
from portal.notifications import (
    Delivery,
    Reaped,
    notification_deliver,
    notification_resend,
    notifications_reap_stuck,
    notify,
    outbox_backlog,
)
from portal.sms import ConsoleSmsBackend
from portal.tasks import MAX_ATTEMPTS, deliver_notification, reap_stuck_notifications
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

Channel = Notification.Channel
Status = Notification.Status
CONTEXT = {"program": "청년 소셜다이닝", "reference": "HN-2026-000123", "reason": "", "link": "http://x/"}


class WorkerKilled(BaseException):
    """What a kill -9 looks like from inside: the send returned, nothing after it ran."""


@pytest.fixture
def sms_sent(monkeypatch) -> list[dict]:
    sent: list[dict] = []
    monkeypatch.setattr(
        ConsoleSmsBackend, "send", lambda self, *, to, text: sent.append({"to": to, "text": text})
    )
    return sent


@pytest.fixture
def rows() -> dict[str, Notification]:
    household = HouseholdFactory(notify_by_email=True, notify_by_sms=True, phone="010-2222-3333")
    created = notify(user=household.user, template="application.approved", event_key="t:1", context=CONTEXT)
    return {row.channel: row for row in created}


def killed_while_sending(row: Notification, monkeypatch, *, minutes_ago: int = 20) -> list[str]:
    """Deliver `row` with a worker that dies right after the message left; return what left (the
    Message-ID of an email, the text of an SMS). The row is left `sending`, claimed `minutes_ago`."""
    left: list[str] = []

    def email_then_die(self, fail_silently=False):
        left.append(self.message()["Message-ID"])
        raise WorkerKilled

    def sms_then_die(self, *, to, text):
        left.append(text)
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", email_then_die)
        patch.setattr(ConsoleSmsBackend, "send", sms_then_die)
        with pytest.raises(WorkerKilled):
            notification_deliver(notification_id=row.pk)
    Notification.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - timedelta(minutes=minutes_ago))
    row.refresh_from_db()
    assert row.status == Status.SENDING
    return left


# --- email: the same message again ---------------------------------------------------------------------


def test_every_email_carries_a_stored_message_id(rows, mailoutbox):
    email = rows[Channel.EMAIL]

    notification_deliver(notification_id=email.pk)

    email.refresh_from_db()
    assert email.message_id.startswith("<") and f"notification-{email.pk}" in email.message_id
    assert email.message_id.endswith("@hana.example.kr>")  # DEFAULT_FROM_EMAIL's domain
    assert mailoutbox[0].message()["Message-ID"] == email.message_id


def test_a_stuck_email_is_sent_again_with_the_same_message_id(rows, monkeypatch, mailoutbox):
    email = rows[Channel.EMAIL]
    first = killed_while_sending(email, monkeypatch)

    assert notifications_reap_stuck() == {Reaped.RESENT: 1}

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 2
    assert len(mailoutbox) == 1
    assert mailoutbox[0].message()["Message-ID"] == first[0] == email.message_id
    assert notifications_reap_stuck() == {}  # nothing left stuck


def test_a_row_still_within_the_timeout_is_left_alone(rows, monkeypatch, mailoutbox):
    email = rows[Channel.EMAIL]
    killed_while_sending(email, monkeypatch, minutes_ago=2)  # a delivery may still be running

    assert notifications_reap_stuck() == {}

    email.refresh_from_db()
    assert email.status == Status.SENDING
    assert mailoutbox == []


def test_a_row_that_finished_meanwhile_is_not_touched(rows, monkeypatch, mailoutbox):
    """The reaper read the row stuck; the late worker (or a second reaper) moved it since."""
    email = rows[Channel.EMAIL]
    killed_while_sending(email, monkeypatch)
    seen = Notification.objects.get(pk=email.pk)
    Notification.objects.filter(pk=email.pk).update(status=Status.SENT)

    assert notifications._reap(seen) == Reaped.SKIPPED

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert mailoutbox == []


def test_two_reapers_resend_once(rows, monkeypatch, mailoutbox):
    email = rows[Channel.EMAIL]
    killed_while_sending(email, monkeypatch)
    seen_by_first = Notification.objects.get(pk=email.pk)
    seen_by_second = Notification.objects.get(pk=email.pk)

    outcomes = [notifications._reap(seen_by_first), notifications._reap(seen_by_second)]

    assert outcomes == [Reaped.RESENT, Reaped.SKIPPED]
    assert len(mailoutbox) == 1


def test_a_row_stuck_again_and_again_is_given_up(rows, monkeypatch, mailoutbox):
    email = rows[Channel.EMAIL]
    killed_while_sending(email, monkeypatch)
    Notification.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS)

    assert reap_stuck_notifications() == {Reaped.FAILED: 1}

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert str(MAX_ATTEMPTS) in email.last_error
    assert mailoutbox == []


def test_rows_claimed_before_claimed_at_existed_are_reaped_by_age(rows, mailoutbox):
    email = rows[Channel.EMAIL]
    Notification.objects.filter(pk=email.pk).update(
        status=Status.SENDING, attempts=1, claimed_at=None, created_at=timezone.now() - timedelta(hours=1)
    )

    assert notifications_reap_stuck() == {Reaped.RESENT: 1}
    assert len(mailoutbox) == 1


# --- SMS: never blindly repeated -----------------------------------------------------------------------


def test_a_stuck_text_message_is_failed_and_held_for_staff(rows, monkeypatch, sms_sent):
    sms = rows[Channel.SMS]
    killed_while_sending(sms, monkeypatch)

    assert notifications_reap_stuck() == {Reaped.FAILED: 1}

    sms.refresh_from_db()
    assert sms.status == Status.FAILED
    assert sms.held is True
    assert sms.last_error  # says why (in the staff's language)
    assert sms_sent == []
    # The task message the broker redelivers hours later (acks_late) sends nothing either.
    assert deliver_notification(sms.pk) == str(Delivery.SKIPPED)
    assert sms_sent == []
    assert outbox_backlog() == {"pending": 1, "sending": 0, "failed": 1}  # the email still waits


def test_staff_send_a_held_message_again_once(
    rows, monkeypatch, sms_sent, django_capture_on_commit_callbacks
):
    sms = rows[Channel.SMS]
    killed_while_sending(sms, monkeypatch)
    notifications_reap_stuck()

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_resend(notification_id=sms.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_resend(notification_id=sms.pk) is False  # sent now: never twice

    sms.refresh_from_db()
    assert (sms.status, sms.held) == (Status.SENT, False)
    assert len(sms_sent) == 1


def test_a_registered_handler_replaces_a_stuck_text(rows, monkeypatch, sms_sent):
    sms = rows[Channel.SMS]
    killed_while_sending(sms, monkeypatch)
    seen: list[Notification] = []

    def handler(stuck: Notification) -> str:
        seen.append(stuck)
        return "replaced by a new message"

    monkeypatch.setitem(notifications.STUCK_HANDLERS, "application.approved", handler)

    assert notifications_reap_stuck() == {Reaped.REPLACED: 1}

    sms.refresh_from_db()
    assert sms.status == Status.CANCELLED
    assert sms.last_error == "replaced by a new message"
    assert [row.status for row in seen] == [Status.CANCELLED]  # the handler sees it already cancelled
    assert sms_sent == []


def test_a_failing_handler_leaves_the_row_for_the_next_run(rows, monkeypatch, caplog):
    sms = rows[Channel.SMS]
    killed_while_sending(sms, monkeypatch)

    def broken(stuck: Notification) -> str:
        raise RuntimeError("lockers down")

    monkeypatch.setitem(notifications.STUCK_HANDLERS, "application.approved", broken)

    assert notifications_reap_stuck() == {}

    sms.refresh_from_db()
    assert sms.status == Status.SENDING  # rolled back with the handler's work
    assert "could not reap stuck notification" in caplog.text


def test_only_known_templates_get_handlers():
    with pytest.raises(ValueError, match="unknown notification template"):
        notifications.register_stuck_handler("no.such", lambda row: "")


# --- what staff see ------------------------------------------------------------------------------------


def test_the_backlog_counts_pending_sending_and_failed(rows):
    assert outbox_backlog() == {"pending": 2, "sending": 0, "failed": 0}
    Notification.objects.filter(pk=rows[Channel.SMS].pk).update(status=Status.SENDING)
    Notification.objects.filter(pk=rows[Channel.EMAIL].pk).update(status=Status.FAILED)

    assert outbox_backlog() == {"pending": 0, "sending": 1, "failed": 1}


def test_city_admins_list_failed_messages_and_send_them_again(
    client, city_admin, rows, monkeypatch, sms_sent, django_capture_on_commit_callbacks
):
    sms = rows[Channel.SMS]
    killed_while_sending(sms, monkeypatch)
    notifications_reap_stuck()
    client.force_login(city_admin)

    page = client.get("/admin/portal/notification/", {"status__exact": "failed"})

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [sms]
    assert "010-2222-3333" not in page.content.decode()  # addresses are masked

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/portal/notification/",
            {"action": "send_again", "_selected_action": [sms.pk, rows[Channel.EMAIL].pk]},
        )
    assert response.status_code == 302
    sms.refresh_from_db()
    assert sms.status == Status.SENT
    assert len(sms_sent) == 1
    assert (
        Notification.objects.get(pk=rows[Channel.EMAIL].pk).status == Status.PENDING
    )  # not failed: untouched


def test_district_staff_do_not_see_the_outbox(client, caseworker_a, rows):
    client.force_login(caseworker_a)

    assert client.get("/admin/portal/notification/").status_code == 403
