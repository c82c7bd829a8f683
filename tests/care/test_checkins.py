"""Wellbeing check-ins: the morning's creation (idempotent), sending with signed single-use links,
answers, the escalation ladder (set-based sweep; failed sends escalate), guardians, the board."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import signing

from care.models import CheckIn, CheckInTask, Enrolment
from care.services import checkins as svc
from care.services.errors import CareError
from portal.models import AuditEvent, Notification, QueuedTask
from portal.timeutils import local_datetime
from tests.care.conftest import next_weekday
from tests.factories import HouseholdFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return next_weekday(1)


@pytest.fixture
def enrolment(caseworker_a, day):
    household = HouseholdFactory(district=district("11620"), notify_by_email=True)
    return svc.enrolment_create(
        actor=caseworker_a,
        household_id=household.pk,
        weekdays=[day.weekday()],
        at=time(10),
        consent_version="2026-1",
        by_sms=False,
        guardians=[
            {"name": "김보호", "email": "guardian@example.kr", "relation": "누나", "consented": True},
            {"name": "이미동의안함", "phone": "010-9999-0000"},
        ],
    )


def _send(day, committed, django_capture_on_commit_callbacks):
    svc.checkins_create_for_day(day=day)
    with django_capture_on_commit_callbacks(execute=True):
        svc.checkins_dispatch_due(now=local_datetime(day, time(10, 1)))


def test_enrolment_records_consent_and_is_scoped(enrolment, caseworker_b):
    assert enrolment.consent_version == "2026-1" and enrolment.consent_given_at
    assert AuditEvent.objects.filter(action="care.enrolment.created", target_id=str(enrolment.pk)).exists()
    other = HouseholdFactory(district=district("11620"))
    with pytest.raises(CareError):
        svc.enrolment_create(
            actor=caseworker_b, household_id=other.pk, weekdays=[0], at=time(10), consent_version="1"
        )
    with pytest.raises(CareError):
        svc.enrolment_create(
            actor=caseworker_b, household_id=other.pk, weekdays=[0], at=time(10), consent_version=""
        )


def test_morning_creation_is_idempotent_and_skips_pauses(enrolment, day):
    assert svc.checkins_create_for_day(day=day) == 1
    assert svc.checkins_create_for_day(day=day) == 1
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().scheduled_at == local_datetime(day, time(10))
    assert svc.checkins_create_for_day(day=day + timedelta(days=1)) == 0  # not a scheduled weekday
    user = enrolment.household.user
    svc.enrolment_pause(user=user, starts_on=day, ends_on=day + timedelta(days=8))
    assert CheckIn.objects.get().status == "skipped"
    assert svc.checkins_create_for_day(day=day + timedelta(days=7)) == 0


def test_sent_once_with_links_and_answered_once(
    enrolment, day, committed, django_capture_on_commit_callbacks
):
    _send(day, committed, django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    assert checkin.status == "sent"
    messages = Notification.objects.filter(template="care.checkin.ask")
    assert set(messages.values_list("channel", flat=True)) == {"in_app", "email"}
    # The task running twice (a redelivery) sends nothing twice.
    svc.checkins_send(checkin_ids=[checkin.pk])
    assert messages.count() == 2
    link = messages.first().context["ok_link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    answered = svc.checkin_answer_by_token(token=token)
    assert answered.status == "answered_ok" and answered.used_at
    with pytest.raises(CareError) as again:
        svc.checkin_answer_by_token(token=token)
    assert again.value.code == "link_used"


def test_bad_and_expired_links_are_refused(
    enrolment, day, settings, committed, django_capture_on_commit_callbacks
):
    _send(day, committed, django_capture_on_commit_callbacks)
    with pytest.raises(CareError) as bad:
        svc.checkin_answer_by_token(token="nonsense")
    assert bad.value.code == "link_invalid"
    checkin = CheckIn.objects.get()
    forged = signing.dumps({"c": checkin.pk, "a": "ok"}, salt="other")
    with pytest.raises(CareError):
        svc.checkin_answer_by_token(token=forged)
    settings.CARE_CHECKIN_LINK_MAX_AGE_HOURS = 0
    with pytest.raises(CareError) as expired:
        svc.checkin_answer_by_token(token=svc.answer_token(checkin.pk, "ok"))
    assert expired.value.code == "link_expired"


def test_help_goes_straight_to_the_caseworker(enrolment, day, committed, django_capture_on_commit_callbacks):
    _send(day, committed, django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    svc.checkin_answer(user=enrolment.household.user, checkin_id=checkin.pk, answer="help")
    task = CheckInTask.objects.get()
    assert task.kind == "help" and task.district_id == enrolment.district_id


def test_the_ladder_reminder_call_visit_with_guardians(
    enrolment, day, caseworker_a, committed, django_capture_on_commit_callbacks
):
    _send(day, committed, django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    sent_at = checkin.sent_at
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            svc.checkins_sweep(now=sent_at + timedelta(hours=1))[
                CheckIn._meta.get_field("status").choices[2][0]
            ]
            == 0
        )
        moved = svc.checkins_sweep(now=sent_at + timedelta(hours=5))
    assert moved["reminded"] == 1
    checkin.refresh_from_db()
    assert checkin.status == "reminded" and checkin.notified_step == "reminded"
    assert Notification.objects.filter(template="care.checkin.reminder", channel="email").count() == 1
    assert not Notification.objects.filter(template="care.checkin.guardian").exists()  # plan: at the call
    with django_capture_on_commit_callbacks(execute=True):
        moved = svc.checkins_sweep(now=checkin.due_at + timedelta(minutes=1))
    assert moved["call"] == 1 and moved["reminded"] == 0
    task = CheckInTask.objects.get()
    assert task.kind == "call"
    guardian_messages = Notification.objects.filter(template="care.checkin.guardian")
    # Only the guardian who consented, at their own address; the row is the resident's data.
    assert list(guardian_messages.values_list("address", "channel")) == [("guardian@example.kr", "email")]
    assert guardian_messages.get().user_id == enrolment.household.user_id
    # The sweep running twice opens nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        svc.checkins_sweep(now=checkin.due_at + timedelta(minutes=2))
    assert CheckInTask.objects.count() == 1 and guardian_messages.count() == 1
    # The caseworker could not reach them: a home visit.
    svc.task_record_outcome(actor=caseworker_a, task_id=task.pk, outcome="no_answer")
    checkin.refresh_from_db()
    assert checkin.status == "visit"
    visit = CheckInTask.objects.get(kind="visit")
    svc.task_record_outcome(actor=caseworker_a, task_id=visit.pk, outcome="visited", note="안부 확인, 건강함")
    checkin.refresh_from_db()
    assert checkin.status == "closed"
    assert AuditEvent.objects.filter(action="care.task.outcome").count() == 2


def test_an_unanswered_call_escalates_to_a_visit(
    enrolment, day, committed, django_capture_on_commit_callbacks, settings
):
    _send(day, committed, django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    now = checkin.sent_at
    for hours in (5, 10):
        svc.checkins_sweep(now=now + timedelta(hours=hours))
    checkin.refresh_from_db()
    assert checkin.status == "call"
    svc.checkins_sweep(now=now + timedelta(hours=10 + settings.CARE_CALL_WINDOW_HOURS))
    checkin.refresh_from_db()
    assert checkin.status == "visit"
    assert set(CheckInTask.objects.values_list("kind", flat=True)) == {"call", "visit"}


def test_a_message_that_could_not_be_sent_escalates_at_once(
    enrolment, day, committed, django_capture_on_commit_callbacks
):
    _send(day, committed, django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    Notification.objects.filter(template="care.checkin.ask", channel="email").update(status="failed")
    moved = svc.checkins_sweep(now=checkin.sent_at + timedelta(minutes=5))  # well within the window
    assert moved["reminded"] == 1


def test_withdraw_stops_check_ins(enrolment, day):
    svc.checkins_create_for_day(day=day)
    svc.enrolment_withdraw(user=enrolment.household.user)
    assert CheckIn.objects.get().status == "skipped"
    assert Enrolment.objects.get().status == "withdrawn"
    assert svc.checkins_create_for_day(day=day + timedelta(days=7)) == 0


def test_the_board_is_scoped_and_oldest_first(
    enrolment, day, caseworker_a, caseworker_b, django_assert_max_num_queries
):
    svc.checkins_create_for_day(day=day)
    checkin = CheckIn.objects.get()
    CheckIn.objects.filter(pk=checkin.pk).update(status="sent")
    svc.checkin_answer(user=enrolment.household.user, checkin_id=checkin.pk, answer="help")
    with django_assert_max_num_queries(1):
        assert len(list(svc.open_tasks_visible_to(caseworker_a))) == 1
    assert not svc.open_tasks_visible_to(caseworker_b).exists()
    with pytest.raises(CareError):
        svc.task_record_outcome(actor=caseworker_b, task_id=CheckInTask.objects.get().pk, outcome="reached")


def test_dispatch_queues_chunks_once(enrolment, day):
    svc.checkins_create_for_day(day=day)
    svc.checkins_dispatch_due(now=local_datetime(day, time(10, 1)))
    assert QueuedTask.objects.filter(name=svc.SEND_TASK).count() == 1


def test_a_second_dispatch_queues_nothing_until_the_queue_went_stale(enrolment, day):
    svc.checkins_create_for_day(day=day)
    at = local_datetime(day, time(10, 1))
    assert svc.checkins_dispatch_due(now=at) == 1
    assert svc.checkins_dispatch_due(now=at + timedelta(minutes=5)) == 0
    assert svc.checkins_dispatch_due(now=at + svc.REQUEUE_AFTER + timedelta(minutes=1)) == 1


def test_the_sweep_refreshes_the_cached_care_panel(
    enrolment, day, manager_a, committed, django_capture_on_commit_callbacks
):
    """The sweep escalates by bulk UPDATE (no post_save): care.signals.checkins_changed makes the
    dashboard's cached care panel stale, so the next read counts the escalation."""
    from django.core.cache import cache

    from reports.dashboard.cache import dashboard_panels
    from reports.dashboard.selectors import Period

    cache.clear()
    _send(day, committed, django_capture_on_commit_callbacks)
    checkin = CheckIn.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        svc.checkins_sweep(now=checkin.sent_at + timedelta(hours=5))  # sent → reminded: not escalated
    period = Period(day, day + timedelta(days=1))
    assert dashboard_panels(manager_a, None, period)["care"].checkins_escalated == 0  # now cached
    checkin.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.checkins_sweep(now=checkin.due_at + timedelta(minutes=1))["call"] == 1
    assert dashboard_panels(manager_a, None, period)["care"].checkins_escalated == 1
