"""The inquiries API: residents' own threads, the staff queue (scoped, masked, access-logged), answers."""

from __future__ import annotations

import pytest

from inquiries.models import Inquiry, InquiryStatus
from inquiries.services import inquiry_submit
from portal.models import AuditEvent
from tests.factories import HouseholdFactory, district, login

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inquiries/"
STAFF = "/api/v1/staff/inquiries/"


def test_a_resident_asks_follows_up_and_rates(client, resident, caseworker_a, teams):
    login(client, resident)
    created = client.post(
        BASE, {"title": "소음", "body": "윗집 소음", "topic": "living"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "open" and data["due_at"] and data["messages"][0]["body"] == "윗집 소음"
    assert client.get(BASE).json()["results"][0]["id"] == data["id"]
    login(client, caseworker_a)
    answered = client.post(
        f"{STAFF}{data['id']}/answer/", {"body": "확인하겠습니다"}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    again = client.post(f"{STAFF}{data['id']}/answer/", {"body": "두 번"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["status"] == "answered"  # a further answer
    login(client, resident)
    rated = client.post(f"{BASE}{data['id']}/rate/", {"rating": 5}, content_type="application/json")
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    assert (
        client.post(f"{BASE}{data['id']}/rate/", {"rating": 4}, content_type="application/json").status_code
        == 409
    )
    followed = client.post(f"{BASE}{data['id']}/follow-up/", {"body": "또"}, content_type="application/json")
    assert followed.json()["status"] == "open"


def test_bad_input_is_a_400_with_fields(client, resident, teams):
    login(client, resident)
    response = client.post(BASE, {"title": "t", "body": "900101-1234567"}, content_type="application/json")
    assert response.status_code == 400
    assert "body" in response.json()["error"]["fields"]
    assert not Inquiry.objects.exists()


def test_someone_elses_inquiry_is_a_404(client, resident, teams):
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    login(client, HouseholdFactory().user)
    assert client.get(f"{BASE}{inquiry.pk}/").status_code == 404
    assert (
        client.post(f"{BASE}{inquiry.pk}/rate/", {"rating": 3}, content_type="application/json").status_code
        == 404
    )


def test_the_staff_queue_is_scoped_masked_and_access_logged(
    client, resident, caseworker_a, caseworker_b, teams
):
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    other = inquiry_submit(user=HouseholdFactory(district=district("11140")).user, title="t", body="b")
    login(client, caseworker_a)
    queue = client.get(STAFF).json()["results"]
    assert [row["id"] for row in queue] == [inquiry.pk]
    assert queue[0]["resident"] != resident.household.name and queue[0]["working_seconds_left"] > 0
    assert client.get(f"{STAFF}{other.pk}/").status_code == 404
    assert client.get(f"{STAFF}{inquiry.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="inquiries.inquiry.viewed", actor=caseworker_a).exists()
    login(client, caseworker_b)
    assert client.post(f"{STAFF}{inquiry.pk}/close/").status_code == 404
    login(client, resident)
    assert client.get(STAFF).status_code == 403


def test_closing_over_the_api(client, resident, caseworker_a, teams):
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    login(client, caseworker_a)
    assert client.post(f"{STAFF}{inquiry.pk}/close/").json()["status"] == InquiryStatus.CLOSED


@pytest.mark.parametrize("count", [2, 15])
def test_list_queries_are_constant(client, resident, caseworker_a, teams, count, django_assert_num_queries):
    for n in range(count):
        inquiry_submit(user=resident, title=f"t{n}", body="b")
    login(client, caseworker_a)
    client.get(STAFF)
    with django_assert_num_queries(STAFF_QUERIES):
        assert len(client.get(STAFF).json()["results"]) == count
    login(client, resident)
    client.get(BASE)
    with django_assert_num_queries(RESIDENT_QUERIES):
        assert len(client.get(BASE).json()["results"]) == count


STAFF_QUERIES = 5  # session, user, permissions (own, group), the page joined to team and household
RESIDENT_QUERIES = 4  # session, user, the COUNT, the page


def test_the_queue_filters_overdue_and_lists_the_templates(
    client, resident, caseworker_a, teams, answer_template
):
    from datetime import timedelta

    from django.utils import timezone

    from inquiries.models import AnswerTemplate
    from inquiries.services import inquiries_sweep

    late = inquiry_submit(user=resident, title="late", body="b")
    inquiry_submit(user=resident, title="fresh", body="b")
    Inquiry.objects.filter(pk=late.pk).update(
        alert_at=timezone.now() - timedelta(hours=2), due_at=timezone.now() - timedelta(hours=1)
    )
    inquiries_sweep()
    AnswerTemplate.objects.create(title="중구 전용", body="x", district=district("11140"))
    login(client, caseworker_a)
    assert [row["id"] for row in client.get(f"{STAFF}?due=breached").json()["results"]] == [late.pk]
    assert client.get(f"{STAFF}?due=nonsense").status_code == 400
    templates = client.get(f"{STAFF}templates/").json()["results"]
    assert [t["title"] for t in templates] == [answer_template.title]  # not 중구's own
