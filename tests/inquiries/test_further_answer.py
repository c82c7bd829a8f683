"""Staff add a further answer to an answered (not closed) thread: the same service, audited, sent on the
channel the inquiry came from; the thread stays answered and its first-answer figures do not move. A closed
thread takes none (service, admin page and API)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.models import Author, InquiryStatus
from inquiries.services import InquiryError, inquiry_answer, inquiry_close, inquiry_submit
from portal.models import AuditEvent, Notification
from tests.factories import login

pytestmark = pytest.mark.django_db
STAFF = "/api/v1/staff/inquiries/"


@pytest.fixture
def answered(resident, caseworker_a, teams):
    inquiry = inquiry_submit(user=resident, title="수거일", body="언제인가요?")
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="목요일입니다.")
    inquiry.refresh_from_db()
    return inquiry


def test_a_further_answer_to_an_answered_thread(answered, resident, caseworker_a):
    first = (answered.first_answered_at, answered.answer_seconds, answered.answered_in_time)
    before = answered.last_answered_at
    message = inquiry_answer(staff=caseworker_a, inquiry_id=answered.pk, body="정정: 금요일입니다.")
    answered.refresh_from_db()
    assert answered.status == InquiryStatus.ANSWERED
    assert (answered.first_answered_at, answered.answer_seconds, answered.answered_in_time) == first
    assert answered.last_answered_at > before  # the latest answer's time moves
    assert list(answered.messages.filter(author=Author.STAFF).values_list("body", flat=True)) == [
        "목요일입니다.",
        "정정: 금요일입니다.",
    ]
    assert message.channel == answered.channel and message.staff == caseworker_a
    event = AuditEvent.objects.get(action="inquiries.inquiry.answered_again")
    assert event.actor == caseworker_a and event.subject_user_id == resident.pk
    sent = Notification.objects.filter(user=resident, template="inquiry.answered", channel="in_app")
    assert [n.context["answer"] for n in sent.order_by("pk")] == ["목요일입니다.", "정정: 금요일입니다."]


def test_a_closed_thread_takes_no_further_answer(answered, caseworker_a):
    inquiry_close(staff=caseworker_a, inquiry_id=answered.pk)
    with pytest.raises(InquiryError) as refused:
        inquiry_answer(staff=caseworker_a, inquiry_id=answered.pk, body="늦은 답")
    assert refused.value.code == "invalid_transition"
    assert answered.messages.filter(author=Author.STAFF).count() == 1


def test_another_district_cannot_answer_again(answered, caseworker_b):
    with pytest.raises(InquiryError) as refused:
        inquiry_answer(staff=caseworker_b, inquiry_id=answered.pk, body="다른 구")
    assert refused.value.code == "not_found"


def test_the_admin_answer_page_offers_a_further_answer(client, settings, answered, caseworker_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, caseworker_a)
    url = reverse("admin:inquiries_inquiry_answer", args=[answered.pk])
    page = client.get(url)
    assert b"Further answer" in page.content and b'name="body"' in page.content
    sent = client.post(url, {"body": "추가 안내입니다.", "send": "1"})
    assert sent.status_code == 302
    assert answered.messages.filter(author=Author.STAFF, body="추가 안내입니다.").exists()
    inquiry_close(staff=caseworker_a, inquiry_id=answered.pk)
    closed = client.get(url)
    assert b'name="body"' not in closed.content


def test_the_api_takes_a_further_answer_until_closed(client, answered, caseworker_a):
    login(client, caseworker_a)
    again = client.post(
        f"{STAFF}{answered.pk}/answer/", {"body": "추가 안내"}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["status"] == "answered"
    assert client.post(f"{STAFF}{answered.pk}/close/").status_code == 200
    closed = client.post(f"{STAFF}{answered.pk}/answer/", {"body": "또"}, content_type="application/json")
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "invalid_transition"
