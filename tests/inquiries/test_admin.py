"""The staff queue in the admin: scoped to the district, soonest due first, masked names, time left; the
answer page with the thread, the resident's context and templates; every answer audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from inquiries.models import Inquiry, InquiryStatus
from inquiries.services import inquiry_submit
from portal.models import AuditEvent, Notification
from tests.factories import HouseholdFactory, book, district, login, space_with_room

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:inquiries_inquiry_changelist")


@pytest.fixture
def staff_client(client, caseworker_a, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return login(client, caseworker_a)


def answer_url(inquiry):
    return reverse("admin:inquiries_inquiry_answer", args=[inquiry.pk])


def test_the_queue_is_the_districts_open_inquiries_soonest_due_first(staff_client, resident, teams):
    late = inquiry_submit(user=resident, title="늦은", body="b")
    early = inquiry_submit(user=resident, title="이른", body="b")
    Inquiry.objects.filter(pk=early.pk).update(due_at=late.due_at - timedelta(hours=5))
    other = HouseholdFactory(district=district("11140"))
    inquiry_submit(user=other.user, title="중구", body="b")
    response = staff_client.get(CHANGELIST)
    rows = list(response.context["cl"].result_list)
    assert [row.pk for row in rows] == [early.pk, late.pk]
    assert resident.household.name.encode() not in response.content  # masked
    assert b"\xea\xb9\x80*" in response.content  # 김* …


def test_another_districts_inquiry_is_not_found(client, caseworker_b, resident, teams):
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    login(client, caseworker_b)
    assert client.get(answer_url(inquiry)).status_code == 404
    assert client.post(answer_url(inquiry), {"body": "x", "send": "1"}).status_code == 404
    assert client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])).status_code in (302, 404)


def test_answering_from_a_template_with_the_context_panel(staff_client, resident, teams, answer_template):
    room = space_with_room("11620")
    book(room, resident.household, start="2030-03-04 10:00", end="2030-03-04 11:00")
    inquiry = inquiry_submit(user=resident, title="t", body="질문")
    page = staff_client.get(answer_url(inquiry))
    assert page.status_code == 200
    assert [row.kind for row in page.context["context_rows"]] == ["booking"]
    assert AuditEvent.objects.filter(action="inquiries.inquiry.viewed", subject_user_id=resident.pk).exists()
    chosen = staff_client.post(answer_url(inquiry), {"template": answer_template.pk, "use_template": "1"})
    assert chosen.context["form"]["body"].value() == answer_template.body
    sent = staff_client.post(
        answer_url(inquiry), {"template": answer_template.pk, "body": "수정한 답변", "send": "1"}
    )
    assert sent.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED
    assert inquiry.messages.last().template == answer_template
    assert AuditEvent.objects.filter(action="inquiries.inquiry.answered").exists()
    assert Notification.objects.filter(user=resident, template="inquiry.answered").exists()


def test_the_context_panel_shows_only_the_staff_districts_records(client, caseworker_b, resident, teams):
    room = space_with_room("11620")  # 관악구
    book(room, resident.household, start="2030-03-04 10:00", end="2030-03-04 11:00")
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    Inquiry.objects.filter(pk=inquiry.pk).update(district=district("11140"))  # answered by 중구
    login(client, caseworker_b)
    page = client.get(answer_url(inquiry))
    assert page.status_code == 200 and page.context["context_rows"] == []


def test_an_empty_or_identifier_answer_is_refused_and_kept(staff_client, resident, teams):
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    empty = staff_client.post(answer_url(inquiry), {"body": " ", "send": "1"})
    assert empty.status_code == 200 and empty.context["form"].errors
    bad = staff_client.post(answer_url(inquiry), {"body": "번호 900101-1234567", "send": "1"})
    assert bad.status_code == 200 and b"900101" in bad.content
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN


def test_closing(staff_client, resident, teams):
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    staff_client.post(reverse("admin:inquiries_inquiry_close", args=[inquiry.pk]))
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    assert AuditEvent.objects.filter(action="inquiries.inquiry.closed").exists()


@pytest.mark.parametrize("count", [3, 25])
def test_the_queue_uses_a_constant_number_of_queries(
    staff_client, resident, teams, count, django_assert_num_queries
):
    for n in range(count):
        inquiry_submit(user=resident, title=f"t{n}", body="b")
    staff_client.get(CHANGELIST)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = staff_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == count


# Session, user, permissions (own and group), the team filter's choices, the capped COUNT, the page joined
# to team and household. Measured on a second load.
QUEUE_QUERIES = 7
