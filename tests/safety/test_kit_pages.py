"""The resident's safety-kit pages: offer, eligibility, request form, confirmation, my requests."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.models import KitRequest, KitRequestStatus, VisitStatus
from safety.services import kit_request_approve, kit_request_submit, visit_complete, visit_schedule
from tests.factories import GWANAK, HouseholdFactory, ProgramFactory, add_rules, login
from tests.safety.conftest import make_offer, windows

pytestmark = pytest.mark.django_db


def future(days=3) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_offer_page_lists_items_with_icons_and_the_eligibility_check(resident_client, items):
    program = ProgramFactory()
    add_rules(program, {"field": "gender", "operator": "eq", "value": "female", "explanation": "여성"})
    make_offer(GWANAK, items, program=program)
    response = resident_client.get(reverse("safety:offer"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "🔒" in content and "현관문 이중잠금장치" in content
    assert "criteria__item--passed" in content
    assert reverse("safety:request_form") in content


def test_visitor_sees_districts_with_an_offer(client, offer_a):
    response = client.get(reverse("safety:offer"))
    assert "?district=11620" in response.content.decode()
    response = client.get(reverse("safety:offer"), {"district": "11620"})
    assert "현관문 이중잠금장치" in response.content.decode()
    assert client.get(reverse("safety:offer"), {"district": "<script>"}).status_code == 200


def test_request_form_submit_and_confirmation(resident_client, resident, offer_a, items):
    response = resident_client.get(reverse("safety:request_form"))
    assert response.status_code == 200
    data = {"items": [items[0].pk, items[2].pk], "date_1": future(), "slot_1": "evening"}
    response = resident_client.post(reverse("safety:request_form"), data)
    kit_request = KitRequest.objects.get(household__user=resident)
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:request_submitted", args=[kit_request.pk])
    page = resident_client.get(response["Location"]).content.decode()
    assert kit_request.reference in page
    assert kit_request.preferred_windows == [{"date": future(), "slot": "evening"}]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"items": ["1", "2", "3", "4"], "date_1": future(), "slot_1": "morning"},
        {"items": ["abc"], "date_1": "not-a-date", "slot_1": "noon"},
        {"items": ["999999"], "date_1": future(), "slot_1": "morning"},
        {"items": ["1"], "date_1": "2020-01-01", "slot_1": "morning"},
        {"items": ["1"], "date_1": future(), "slot_1": ""},
    ],
)
def test_bad_input_gets_an_error_summary_not_a_500(resident_client, offer_a, items, data):
    if data.get("items") == ["1"]:
        data = {**data, "items": [str(items[0].pk)]}
    response = resident_client.post(reverse("safety:request_form"), data)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not KitRequest.objects.exists()


def test_request_form_keeps_what_was_entered(resident_client, offer_a, items):
    response = resident_client.post(
        reverse("safety:request_form"), {"items": [items[1].pk], "date_1": "2020-01-01", "slot_1": "morning"}
    )
    content = response.content.decode()
    assert 'value="2020-01-01"' in content
    assert f'value="{items[1].pk}"' in content and "checked" in content


def test_my_requests_reschedule_cancel_and_survey(resident_client, resident, caseworker_a, stocked_a, items):
    kit_request = kit_request_submit(user=resident, item_ids=[items[0].pk], windows=windows())
    kit_request_approve(kit_request=kit_request, actor=caseworker_a)
    visit = visit_schedule(
        kit_request=kit_request,
        actor=caseworker_a,
        date=timezone.localdate() + timedelta(days=2),
        window_start=time(10),
        window_end=time(12),
        installer="김기사",
    )
    listing = resident_client.get(reverse("safety:request_list")).content.decode()
    assert kit_request.reference in listing and "10:00–12:00" in listing
    detail_url = reverse("safety:request_detail", args=[kit_request.pk])
    reschedule = reverse("safety:request_reschedule", args=[kit_request.pk])
    assert resident_client.post(reschedule, {"note": ""}).status_code == 400
    assert resident_client.post(reschedule, {"note": "주말 오전이 좋아요"}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.RESCHEDULE_REQUESTED

    second = visit_schedule(
        kit_request=kit_request,
        actor=caseworker_a,
        date=timezone.localdate() + timedelta(days=4),
        window_start=time(10),
        window_end=time(12),
        installer="김기사",
    )
    visit_complete(visit=second, actor=caseworker_a, installed=True)
    survey = reverse("safety:request_survey", args=[kit_request.pk])
    assert "survey-title" in resident_client.get(detail_url).content.decode()
    assert resident_client.post(survey, {"rating": "7"}).status_code == 400
    assert resident_client.post(survey, {"rating": "4", "comment": "좋아요"}).status_code == 302
    assert kit_request.survey.rating == 4
    assert resident_client.post(survey, {"rating": "5"}).status_code == 400  # once only


def test_cancel_page(resident_client, resident, stocked_a, items):
    kit_request = kit_request_submit(user=resident, item_ids=[items[0].pk], windows=windows())
    url = reverse("safety:request_cancel", args=[kit_request.pk])
    assert resident_client.get(url).status_code == 200
    assert resident_client.post(url).status_code == 302
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequestStatus.CANCELLED
    assert resident_client.post(url, follow=True).status_code == 200  # again: a message, not a 500


def test_another_residents_request_is_not_found(client, stocked_a, items):
    kit_request = kit_request_submit(user=HouseholdFactory().user, item_ids=[items[0].pk], windows=windows())
    intruder = login(client, HouseholdFactory().user)
    for name in ("request_detail", "request_cancel", "request_submitted"):
        assert intruder.get(reverse(f"safety:{name}", args=[kit_request.pk])).status_code == 404
    assert intruder.post(reverse("safety:request_cancel", args=[kit_request.pk])).status_code == 404


def test_login_required(client):
    response = client.get(reverse("safety:request_form"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_nav_links_to_the_safety_kit(resident_client):
    assert reverse("safety:offer") in resident_client.get("/").content.decode()
