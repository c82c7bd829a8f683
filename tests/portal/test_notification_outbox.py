"""The notification outbox: one row per channel the resident chose, queued on commit, sent at most once,
failures recorded and retried, rendered in the resident's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from portal import notifications
from portal.messages import MESSAGES, Message
from portal.models import Notification
from portal.notifications import Delivery, notification_deliver, notify, render
from portal.sms import ConsoleSmsBackend, SmsError
from portal.tasks import MAX_ATTEMPTS, deliver_notification
from programs.models import SelectionMethod
from programs.services import application_decide, application_submit
from tests.factories import HouseholdFactory, ProgramFactory

pytestmark = pytest.mark.django_db

Channel = Notification.Channel
Status = Notification.Status
CONTEXT = {
    "program": "청년 소셜다이닝",
    "program_en": "Youth social dining",
    "reference": "HN-2026-000123",
    "reason": "",
    "link": "http://testserver/programs/applications/1/",
}


@pytest.fixture
def sms_sent(monkeypatch) -> list[dict]:
    """Every text message the console backend is asked to send."""
    sent: list[dict] = []
    monkeypatch.setattr(
        ConsoleSmsBackend, "send", lambda self, *, to, text: sent.append({"to": to, "text": text})
    )
    return sent


@pytest.fixture
def household():
    """A resident who asked for email and text messages."""
    return HouseholdFactory(notify_by_email=True, notify_by_sms=True, phone="010-2222-3333")


def approved(user, event_key: str = "test:approved:1") -> list[Notification]:
    return notify(user=user, template="application.approved", event_key=event_key, context=CONTEXT)


def by_channel(rows) -> dict[str, Notification]:
    return {row.channel: row for row in rows}


# --- what notify() records -----------------------------------------------------------------------------


def test_a_row_per_channel_the_resident_chose(household):
    rows = by_channel(approved(household.user))

    assert set(rows) == {Channel.IN_APP, Channel.EMAIL, Channel.SMS}
    assert rows[Channel.EMAIL].address == household.user.email
    assert rows[Channel.SMS].address == "010-2222-3333"
    # The inbox row is the message itself; email and SMS wait for delivery.
    assert rows[Channel.IN_APP].status == Status.SENT
    assert rows[Channel.EMAIL].status == Status.PENDING
    assert rows[Channel.SMS].status == Status.PENDING


@pytest.mark.parametrize(
    ("by_email", "by_sms", "phone", "expected"),
    [
        (False, False, "010-2222-3333", {Channel.IN_APP}),
        (True, False, "010-2222-3333", {Channel.IN_APP, Channel.EMAIL}),
        (False, True, "010-2222-3333", {Channel.IN_APP, Channel.SMS}),
        (True, True, "", {Channel.IN_APP, Channel.EMAIL}),  # no number, no text message
    ],
)
def test_preferences_decide_the_channels(by_email, by_sms, phone, expected):
    household = HouseholdFactory(notify_by_email=by_email, notify_by_sms=by_sms, phone=phone)

    rows = approved(household.user)

    assert {row.channel for row in rows} == expected
    assert set(Notification.objects.values_list("channel", flat=True)) == expected


def test_the_same_event_twice_creates_nothing_new(household, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as first:
        approved(household.user)
    with django_capture_on_commit_callbacks() as second:
        again = approved(household.user)

    assert again == []
    assert Notification.objects.count() == 3
    assert len(first) == 2  # email and SMS queued once…
    assert second == []  # …and not again


def test_a_row_refused_for_another_reason_is_not_passed_off_as_a_duplicate(household):
    with pytest.raises(IntegrityError):
        notify(user=household.user, template="application.approved", event_key="bad:1", context=None)


def test_an_unknown_template_is_refused(household):
    with pytest.raises(ValueError, match="unknown notification template"):
        notify(user=household.user, template="no.such", event_key="x", context={})


# --- delivery: at most once ----------------------------------------------------------------------------


def test_delivery_happens_on_commit(household, mailoutbox, sms_sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approved(household.user)
        assert mailoutbox == []  # nothing leaves before the commit

    assert len(callbacks) == 2
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [household.user.email]
    assert "HN-2026-000123" in mailoutbox[0].subject
    assert len(sms_sent) == 1
    assert sms_sent[0]["to"] == "010-2222-3333"
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert email.attempts == 1
    assert email.sent_at is not None


def test_the_task_run_twice_sends_once(household, mailoutbox, sms_sent):
    rows = by_channel(approved(household.user))  # no commit here: nothing queued yet

    for row in (rows[Channel.EMAIL], rows[Channel.SMS]):
        assert deliver_notification(row.pk) == "sent"
        assert deliver_notification(row.pk) == "skipped"

    assert len(mailoutbox) == 1
    assert len(sms_sent) == 1
    rows[Channel.EMAIL].refresh_from_db()
    assert rows[Channel.EMAIL].attempts == 1


def test_a_duplicated_task_message_sends_once(household, mailoutbox, sms_sent):
    """As when the broker delivers a message twice, or a worker dies after sending (acks_late)."""
    rows = by_channel(approved(household.user))

    results = [deliver_notification.apply(args=[rows[Channel.EMAIL].pk]) for _ in range(2)]
    results += [deliver_notification.apply(args=[rows[Channel.SMS].pk]) for _ in range(2)]

    assert [result.get() for result in results] == ["sent", "skipped", "sent", "skipped"]
    assert len(mailoutbox) == 1
    assert len(sms_sent) == 1


def test_a_row_being_sent_elsewhere_is_not_sent_again(household, mailoutbox):
    email = by_channel(approved(household.user))[Channel.EMAIL]
    Notification.objects.filter(pk=email.pk).update(status=Status.SENDING, attempts=1)

    assert notification_deliver(notification_id=email.pk) == Delivery.SKIPPED
    assert mailoutbox == []


def test_a_missing_row_is_skipped():
    assert notification_deliver(notification_id=999_999) == Delivery.SKIPPED


# --- failures: recorded and retried --------------------------------------------------------------------


@pytest.fixture
def broken_sms(monkeypatch) -> list[str]:
    calls: list[str] = []

    def fail(self, *, to, text):
        calls.append(to)
        raise SmsError("gateway answered 503")

    monkeypatch.setattr(ConsoleSmsBackend, "send", fail)
    return calls


def test_a_failure_is_recorded(household, broken_sms):
    sms = by_channel(approved(household.user))[Channel.SMS]

    assert notification_deliver(notification_id=sms.pk) == Delivery.FAILED

    sms.refresh_from_db()
    assert sms.status == Status.FAILED
    assert sms.attempts == 1
    assert sms.last_error == "SmsError: gateway answered 503"
    assert sms.sent_at is None


def test_a_failed_row_is_tried_again_and_then_sent(household, sms_sent, broken_sms, monkeypatch):
    sms = by_channel(approved(household.user))[Channel.SMS]
    notification_deliver(notification_id=sms.pk)
    notification_deliver(notification_id=sms.pk)
    monkeypatch.setattr(  # the gateway is back
        ConsoleSmsBackend, "send", lambda self, *, to, text: sms_sent.append({"to": to, "text": text})
    )

    assert notification_deliver(notification_id=sms.pk) == Delivery.SENT
    assert notification_deliver(notification_id=sms.pk) == Delivery.SKIPPED

    sms.refresh_from_db()
    assert sms.status == Status.SENT
    assert sms.attempts == 3
    assert sms.last_error == ""
    assert len(broken_sms) == 2
    assert len(sms_sent) == 1


def test_a_failing_backend_is_retried_by_the_task(
    household, broken_sms, mailoutbox, django_capture_on_commit_callbacks
):
    """Queued on commit (eagerly in tests): every retry runs, each attempt recorded, and the failure
    neither breaks the committed change nor stops the other channel's delivery."""
    with django_capture_on_commit_callbacks(execute=True):
        approved(household.user)

    sms = Notification.objects.get(channel=Channel.SMS)
    assert sms.status == Status.FAILED
    assert sms.attempts == MAX_ATTEMPTS
    assert len(broken_sms) == MAX_ATTEMPTS
    assert "gateway answered 503" in sms.last_error
    assert Notification.objects.get(channel=Channel.EMAIL).status == Status.SENT
    assert len(mailoutbox) == 1


def test_a_direct_task_call_retries_too(household, broken_sms):
    sms = by_channel(approved(household.user))[Channel.SMS]

    assert deliver_notification(sms.pk) == "failed"

    sms.refresh_from_db()
    assert sms.attempts == MAX_ATTEMPTS
    assert sms.status == Status.FAILED


def test_a_retry_that_succeeds_stops_retrying(household, monkeypatch, sms_sent):
    answers = iter([SmsError("timeout"), SmsError("timeout"), None])

    def flaky(self, *, to, text):
        outcome = next(answers)
        if outcome is not None:
            raise outcome
        sms_sent.append({"to": to, "text": text})

    monkeypatch.setattr(ConsoleSmsBackend, "send", flaky)
    sms = by_channel(approved(household.user))[Channel.SMS]

    assert deliver_notification.apply(args=[sms.pk]).get() == "sent"

    sms.refresh_from_db()
    assert sms.status == Status.SENT
    assert sms.attempts == 3
    assert len(sms_sent) == 1


def test_a_broker_failure_at_commit_leaves_the_row_pending(
    household, monkeypatch, django_capture_on_commit_callbacks
):
    """The change is committed whatever the broker does; the requeue job sends the row later."""

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(deliver_notification, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        approved(household.user)

    assert set(Notification.objects.exclude(channel=Channel.IN_APP).values_list("status", flat=True)) == {
        Status.PENDING
    }


# --- a rolled-back change sends nothing ----------------------------------------------------------------


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(
    household, mailoutbox, sms_sent, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        approved(household.user)
        raise RuntimeError("the change failed after notify()")

    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mailoutbox == []
    assert sms_sent == []


# --- language ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "program"), [("ko", "청년 소셜다이닝"), ("en", "Youth social dining")])
def test_messages_are_rendered_in_the_residents_language(household, language, program):
    household.user.language = language
    household.user.save()
    email = by_channel(approved(household.user))[Channel.EMAIL]

    subject, body = render(email)

    with translation.override(language):
        expected_subject = str(MESSAGES["application.approved"].subject) % CONTEXT
    assert subject == expected_subject
    assert program in body
    assert "HN-2026-000123" in body


def test_the_language_is_the_recipients_not_the_senders(household, monkeypatch):
    """A message whose texts are in the Korean catalogue comes out in Korean for a Korean resident
    and in English for an English one, whatever language the sending request was in."""
    monkeypatch.setitem(
        MESSAGES, "test.language", Message(subject=gettext_lazy("Yes"), body=gettext_lazy("No"), sms="")
    )
    with translation.override("ko"):
        korean = (gettext("Yes"), gettext("No"))
    assert korean != ("Yes", "No"), "the test needs strings the Korean catalogue translates"
    english_user = HouseholdFactory(user__language="en").user
    household.user.language = "ko"
    household.user.save()

    with translation.override("en"):
        korean_row = notify(user=household.user, template="test.language", event_key="lang:ko", context={})
    with translation.override("ko"):
        english_row = notify(user=english_user, template="test.language", event_key="lang:en", context={})

    assert render(by_channel(korean_row)[Channel.EMAIL]) == korean
    assert render(by_channel(english_row)[Channel.EMAIL]) == ("Yes", "No")


def test_the_sms_text_is_the_short_one(household, sms_sent):
    sms = by_channel(approved(household.user))[Channel.SMS]

    notification_deliver(notification_id=sms.pk)

    with translation.override("ko"):
        expected = str(MESSAGES["application.approved"].sms) % CONTEXT
    assert sms_sent == [{"to": "010-2222-3333", "text": expected}]


# --- through the application services ------------------------------------------------------------------


def test_a_decision_gives_one_message_per_channel(
    household, caseworker_a, mailoutbox, sms_sent, django_capture_on_commit_callbacks
):
    program = ProgramFactory(selection_method=SelectionMethod.REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(user=household.user, program=program, answers={})
    application.refresh_from_db()
    assert application.status == "under_review"
    mailoutbox.clear()
    sms_sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_decide(application=application, action="approve", actor=caseworker_a)

    approvals = Notification.objects.filter(template="application.approved", user=household.user)
    assert sorted(approvals.values_list("channel", flat=True)) == sorted(
        [Channel.IN_APP, Channel.EMAIL, Channel.SMS]
    )
    assert set(approvals.values_list("status", flat=True)) == {Status.SENT}
    assert len(mailoutbox) == 1
    assert application.reference in mailoutbox[0].subject
    assert len(sms_sent) == 1
    assert application.reference in sms_sent[0]["text"]

    # Replaying every approval delivery (a retried or duplicated task) sends nothing more.
    for row in approvals.exclude(channel=Channel.IN_APP):
        assert deliver_notification(row.pk) == "skipped"
    assert len(mailoutbox) == 1
    assert len(sms_sent) == 1


def test_the_requeue_job_sends_a_pending_row_once(household, mailoutbox, sms_sent):
    rows = by_channel(approved(household.user))
    Notification.objects.filter(pk__in=[r.pk for r in rows.values()]).update(
        created_at=rows[Channel.EMAIL].created_at - timedelta(minutes=10)
    )

    assert notifications.notifications_requeue_stale() == 2
    assert notifications.notifications_requeue_stale() == 0

    assert len(mailoutbox) == 1
    assert len(sms_sent) == 1
