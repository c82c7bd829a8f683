"""The safety-kit API: residents' offer and requests, staff review, scoping and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import AuditEvent
from safety.models import KitRequest, KitRequestStatus, VisitStatus
from safety.services import kit_request_submit
from tests.factories import GWANAK, JUNGGU, HouseholdFactory, district, login
from tests.safety.conftest import stock, windows

pytestmark = pytest.mark.django_db

OFFER = "/api/v1/safety/offer/"
MINE = "/api/v1/safety/requests/"
STAFF = "/api/v1/staff/safety/requests/"


def future(days=3) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_offer_with_availability(resident_client, offer_a, items):
    stock(GWANAK, items[0], 2)
    body = resident_client.get(OFFER).json()
    assert body["district"] == GWANAK and body["max_items"] == 3
    available = {row["code"]: row["available"] for row in body["items"]}
    assert available == {
        items[0].code: True,
        items[1].code: False,
        items[2].code: False,
        items[3].code: False,
    }
    assert body["eligibility"] is None and body["open_request"] is None


def test_offer_needs_login(client):
    assert client.get(OFFER).status_code == 403


def test_offer_of_a_district_without_one_is_404(resident_client):
    response = resident_client.get(OFFER)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_create_list_cancel(resident_client, stocked_a, items):
    payload = {"items": [items[0].pk, items[1].pk], "windows": [{"date": future(), "slot": "morning"}]}
    response = resident_client.post(MINE, payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("KS-") and body["status"] == "submitted"
    assert [item["code"] for item in body["items"]] == [items[0].code, items[1].code]
    assert resident_client.get(MINE).json()["results"][0]["id"] == body["id"]
    duplicate = resident_client.post(MINE, payload, content_type="application/json")
    assert duplicate.status_code == 400 and duplicate.json()["error"]["code"] == "duplicate"
    cancelled = resident_client.post(f"{MINE}{body['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert resident_client.post(f"{MINE}{body['id']}/cancel/").status_code == 409


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "items"),
        ({"items": "x", "windows": []}, "items"),
        ({"items": [1], "windows": [{"date": "2026-02-30", "slot": "morning"}]}, "windows"),
        ({"items": [1], "windows": [{"date": "2020-01-01", "slot": "morning"}]}, "windows"),
        ({"items": [1], "windows": [{"date": future(), "slot": "midnight"}]}, "windows"),
        ({"items": [1, 2, 3, 4], "windows": [{"date": future(), "slot": "morning"}]}, "items"),
        ({"items": [999999], "windows": [{"date": future(), "slot": "morning"}]}, "items"),
        ({"items": [1], "windows": "soon"}, "windows"),
    ],
)
def test_bad_input_is_a_clear_400(resident_client, stocked_a, items, payload, field):
    if payload.get("items") == [1]:
        payload = {**payload, "items": [items[0].pk]}
    if payload.get("items") == [1, 2, 3, 4]:
        payload = {**payload, "items": [item.pk for item in items]}
    response = resident_client.post(MINE, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"].get("fields", {})
    assert not KitRequest.objects.exists()


def test_malformed_json_is_a_400(resident_client, stocked_a):
    response = resident_client.post(MINE, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_another_residents_request_is_404(client, stocked_a, items):
    kit_request = kit_request_submit(user=HouseholdFactory().user, item_ids=[items[0].pk], windows=windows())
    other = login(client, HouseholdFactory().user)
    assert other.get(f"{MINE}{kit_request.pk}/").status_code == 404
    assert other.post(f"{MINE}{kit_request.pk}/cancel/").status_code == 404


@pytest.fixture
def both(offer_a, offer_b, items):
    for code in (GWANAK, JUNGGU):
        for item in items:
            stock(code, item, 5)
    own = kit_request_submit(user=HouseholdFactory().user, item_ids=[items[0].pk], windows=windows())
    other = kit_request_submit(
        user=HouseholdFactory(district=district(JUNGGU)).user, item_ids=[items[0].pk], windows=windows()
    )
    return own, other


def test_staff_list_is_scoped_and_masked(client, caseworker_a, both):
    own, other = both
    api = login(client, caseworker_a)
    rows = api.get(STAFF).json()["results"]
    assert [row["reference"] for row in rows] == [own.reference]
    assert rows[0]["applicant"] == "김*나"
    assert api.get(STAFF, {"q": other.reference}).json()["results"] == []
    assert api.get(f"{STAFF}{other.pk}/").status_code == 404
    assert api.post(f"{STAFF}{other.pk}/decide/", {"action": "approve"}).status_code == 404
    assert api.get(STAFF, {"status": "bogus"}).status_code == 400


def test_staff_detail_is_logged(client, caseworker_a, both):
    own, _other = both
    body = login(client, caseworker_a).get(f"{STAFF}{own.pk}/").json()
    assert body["applicant"]["name"] == "김하나"
    assert AuditEvent.objects.filter(action="safety.kit_request.viewed", target_id=str(own.pk)).count() == 1


def test_staff_decide_schedule_complete(client, caseworker_a, both, resident):
    own, _other = both
    api = login(client, caseworker_a)
    response = api.post(f"{STAFF}{own.pk}/decide/", {"action": "reject"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "reason_required"
    response = api.post(f"{STAFF}{own.pk}/decide/", {"action": "approve"}, content_type="application/json")
    assert response.json()["status"] == "approved"
    schedule = {"date": future(2), "window_start": "10:00", "window_end": "12:00", "installer": "김기사"}
    bad = api.post(
        f"{STAFF}{own.pk}/visits/", {**schedule, "window_end": "09:00"}, content_type="application/json"
    )
    assert bad.status_code == 400
    response = api.post(f"{STAFF}{own.pk}/visits/", schedule, content_type="application/json")
    assert response.status_code == 201
    visit_id = response.json()["visits"][0]["id"]
    complete = f"{STAFF}visits/{visit_id}/complete/"
    response = api.post(complete, {"installed": False}, content_type="application/json")
    assert response.status_code == 400
    response = api.post(complete, {"installed": True, "note": "완료"}, content_type="application/json")
    assert response.json()["status"] == "installed"
    assert own.visits.get().status == VisitStatus.INSTALLED


def test_out_of_stock_is_a_409(client, caseworker_a, offer_a, items):
    kit_request = kit_request_submit(user=HouseholdFactory().user, item_ids=[items[0].pk], windows=windows())
    response = login(client, caseworker_a).post(
        f"{STAFF}{kit_request.pk}/decide/", {"action": "approve"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "out_of_stock"
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequestStatus.SUBMITTED


def test_other_districts_visit_cannot_be_completed(client, caseworker_b, both, caseworker_a):
    own, _other = both
    api_a = login(client, caseworker_a)
    api_a.post(f"{STAFF}{own.pk}/decide/", {"action": "approve"}, content_type="application/json")
    schedule = {"date": future(2), "window_start": "10:00", "window_end": "12:00", "installer": "김기사"}
    visit_id = api_a.post(f"{STAFF}{own.pk}/visits/", schedule, content_type="application/json").json()[
        "visits"
    ][0]["id"]
    api_b = login(client, caseworker_b)
    response = api_b.post(
        f"{STAFF}visits/{visit_id}/complete/", {"installed": True}, content_type="application/json"
    )
    assert response.status_code == 404


def test_residents_cannot_use_the_staff_api(resident_client):
    assert resident_client.get(STAFF).status_code == 403
