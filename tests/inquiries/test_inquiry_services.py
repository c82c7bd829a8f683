"""The inquiry thread through its services: submission and routing, the clock, answers on the channel,
follow-ups, rating, closing, scoping and the refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import clock
from inquiries.models import Author, Inquiry, InquiryStatus, SubjectKind, Topic
from inquiries.services import (
    InquiryError,
    inquiry_answer,
    inquiry_close,
    inquiry_follow_up,
    inquiry_rate,
    inquiry_submit,
)
from portal.models import AuditEvent, Notification
from tests.factories import HouseholdFactory, book, space_with_room

pytestmark = pytest.mark.django_db


def submit(user, **kwargs):
    return inquiry_submit(user=user, **{"title": "음식물 쓰레기", "body": "수거일이 언제인가요?", **kwargs})


def test_a_web_inquiry_is_routed_and_its_clock_started(resident, teams):
    before = timezone.now()
    inquiry = submit(resident)
    assert inquiry.district.code == "11620"
    assert inquiry.team == teams["general"]
    assert inquiry.reference.startswith("IQ-")
    assert inquiry.status == InquiryStatus.OPEN
    assert clock.working_seconds_between(inquiry.received_at, inquiry.due_at) == 48 * 3600
    assert clock.working_seconds_between(inquiry.received_at, inquiry.alert_at) == 36 * 3600
    assert inquiry.received_at >= before
    assert inquiry.messages.get().body == "수거일이 언제인가요?"
    assert AuditEvent.objects.filter(action="inquiries.inquiry.received", target_id=str(inquiry.pk)).exists()
    received = Notification.objects.filter(user=resident, template="inquiry.received")
    assert received.filter(channel="in_app").exists()


def test_the_topic_picks_the_team(resident, teams):
    assert submit(resident, topic=Topic.SPACES).team == teams["spaces"]
    # No team for safety: the general team takes it.
    assert submit(resident, topic=Topic.SAFETY).team == teams["general"]


def test_an_inquiry_about_the_residents_own_booking(resident, teams):
    household = resident.household
    room = space_with_room()
    booking = book(room, household, start="2030-03-04 10:00", end="2030-03-04 11:00")
    inquiry = submit(resident, subject_kind=SubjectKind.BOOKING, subject_id=booking.pk)
    assert inquiry.subject_kind == SubjectKind.BOOKING and inquiry.subject_id == booking.pk
    assert str(room) in inquiry.subject_label


def test_someone_elses_record_is_refused(resident, teams):
    other = HouseholdFactory()
    room = space_with_room()
    booking = book(room, other, start="2030-03-04 10:00", end="2030-03-04 11:00")
    with pytest.raises(InquiryError) as refused:
        submit(resident, subject_kind=SubjectKind.BOOKING, subject_id=booking.pk)
    assert refused.value.code == "invalid_subject"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": " "}, "title_required"),
        ({"body": ""}, "body_required"),
        ({"body": "x" * 2001}, "body_too_long"),
        ({"body": "제 번호는 900101-1234567 입니다"}, "body_identifier"),
        ({"topic": "nonsense"}, "invalid_topic"),
    ],
)
def test_bad_input_is_refused_with_a_code(resident, teams, fields, code):
    with pytest.raises(InquiryError) as refused:
        submit(resident, **fields)
    assert refused.value.code == code
    assert not Inquiry.objects.exists()


def test_the_answer_goes_back_and_counts_the_first_answer(resident, caseworker_a, teams, answer_template):
    inquiry = submit(resident)
    message = inquiry_answer(
        staff=caseworker_a, inquiry_id=inquiry.pk, body="목요일입니다.", template_id=answer_template.pk
    )
    inquiry.refresh_from_db()
    assert message.author == Author.STAFF and message.template == answer_template
    assert inquiry.status == InquiryStatus.ANSWERED
    assert inquiry.answered_in_time is True
    assert inquiry.answer_seconds is not None
    answered = Notification.objects.filter(user=resident, template="inquiry.answered")
    assert answered.filter(channel="in_app").get().context["answer"] == "목요일입니다."
    assert AuditEvent.objects.filter(action="inquiries.inquiry.answered", actor=caseworker_a).exists()


def test_a_late_answer_is_not_in_time(resident, caseworker_a, teams):
    inquiry = submit(resident)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        received_at=timezone.now() - timedelta(days=20),
        alert_at=timezone.now() - timedelta(days=12),
        due_at=timezone.now() - timedelta(days=10),
    )
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="늦어서 죄송합니다.")
    inquiry.refresh_from_db()
    assert inquiry.answered_in_time is False


def test_another_districts_staff_cannot_answer(resident, caseworker_b, teams):
    inquiry = submit(resident)
    with pytest.raises(InquiryError) as refused:
        inquiry_answer(staff=caseworker_b, inquiry_id=inquiry.pk, body="...")
    assert refused.value.code == "not_found"


def test_a_follow_up_after_the_answer_opens_the_thread_again_with_a_new_clock(resident, caseworker_a, teams):
    inquiry = submit(resident)
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="목요일입니다.")
    first = Inquiry.objects.get(pk=inquiry.pk)
    inquiry_follow_up(user=resident, inquiry_id=inquiry.pk, body="재활용도 같은 날인가요?")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert inquiry.received_at > first.received_at
    assert inquiry.first_answered_at == first.first_answered_at  # the figures keep the first answer
    assert inquiry.messages.count() == 3


def test_only_the_owner_follows_up_or_rates(resident, caseworker_a, teams):
    inquiry = submit(resident)
    stranger = HouseholdFactory().user
    with pytest.raises(InquiryError):
        inquiry_follow_up(user=stranger, inquiry_id=inquiry.pk, body="hi")
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="답변")
    with pytest.raises(InquiryError):
        inquiry_rate(user=stranger, inquiry_id=inquiry.pk, rating=1)


def test_rating_once_after_an_answer(resident, caseworker_a, teams):
    inquiry = submit(resident)
    with pytest.raises(InquiryError) as refused:
        inquiry_rate(user=resident, inquiry_id=inquiry.pk, rating=5)
    assert refused.value.code == "invalid_transition"
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="답변")
    with pytest.raises(InquiryError) as refused:
        inquiry_rate(user=resident, inquiry_id=inquiry.pk, rating=6)
    assert refused.value.code == "invalid_rating"
    inquiry_rate(user=resident, inquiry_id=inquiry.pk, rating=4, comment="빨랐어요")
    inquiry.refresh_from_db()
    assert (inquiry.rating, inquiry.rating_comment) == (4, "빨랐어요")
    with pytest.raises(InquiryError) as refused:
        inquiry_rate(user=resident, inquiry_id=inquiry.pk, rating=5)
    assert refused.value.code == "already_rated"


def test_a_closed_thread_takes_no_follow_up(resident, caseworker_a, teams):
    inquiry = submit(resident)
    inquiry_close(staff=caseworker_a, inquiry_id=inquiry.pk)
    with pytest.raises(InquiryError) as refused:
        inquiry_follow_up(user=resident, inquiry_id=inquiry.pk, body="또 질문")
    assert refused.value.code == "invalid_transition"
    with pytest.raises(InquiryError) as refused:
        inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="답변")
    assert refused.value.code == "invalid_transition"
