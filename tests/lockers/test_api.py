"""The lockers API: kiosk pickup (device token, error codes, bad input never 500), residents' sites,
registrations and parcels, and the staff's scoped deposits and list."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lockers.models import Compartment, Delivery, LockerRegistration

from .helpers import deposit, make_device, make_recipient, make_site, stored_with_code

pytestmark = pytest.mark.django_db

PICKUP = "/api/v1/kiosk/pickup/"
CODE = "135790"


def kiosk(token: str) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def test_pickup_opens_with_the_right_code(site, recipient, device_and_token):
    _device, token = device_and_token
    delivery = stored_with_code(site, recipient, CODE)
    response = kiosk(token).post(PICKUP, {"compartment": "A-01", "code": CODE}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reference"] == delivery.reference and body["compartment"] == "A-01"
    assert body["fee_due"] == 0 and body["message"]
    again = kiosk(token).post(PICKUP, {"compartment": "A-01", "code": CODE}, format="json")
    assert again.status_code == 404 and again.json()["error"]["code"] == "no_parcel"


@pytest.mark.parametrize(
    "header",
    ["", "Device nope", "Bearer x", "Device", "Device a b", "Device " + "x" * 500, "Device \u00e9\u00e9"],
)
def test_invalid_device_is_401(site, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post(PICKUP, {"compartment": "A-01", "code": CODE}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_device"


def test_error_codes_and_statuses(site, recipient, device_and_token):
    _device, token = device_and_token
    stored_with_code(site, recipient, CODE)
    client = kiosk(token)

    def post(compartment, code):
        response = client.post(PICKUP, {"compartment": compartment, "code": code}, format="json")
        return response.status_code, response.json()["error"]["code"]

    assert post("Z-99", CODE) == (404, "unknown_compartment")
    assert post("A-02", CODE) == (404, "no_parcel")
    assert post("A-01", "000000") == (400, "wrong_code")
    for guess in ("000001", "000002", "000003"):
        post("A-01", guess)
    assert post("A-01", "000004") == (423, "compartment_locked")


def test_device_throttled_after_twenty_wrong_codes(site, device_and_token):
    _device, token = device_and_token
    client = kiosk(token)
    for n in range(20):
        client.post(PICKUP, {"compartment": f"A-0{n % 5 + 1}", "code": "000000"}, format="json")
    response = client.post(PICKUP, {"compartment": "A-01", "code": "000000"}, format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too_many_attempts"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"compartment": "A-01"},
        {"code": CODE},
        {"compartment": "A-01", "code": "12345a"},
        {"compartment": "A-01", "code": "1" * 50},
        {"compartment": "A-01", "code": "١٢٣٤٥٦"},  # Arabic-Indic digits: isdigit() but not ASCII
        {"compartment": "x" * 500, "code": CODE},
        {"compartment": None, "code": None},
        {"compartment": ["A-01"], "code": {"a": 1}},
        [1, 2, 3],
        "just a string",
    ],
)
def test_bad_input_is_400_never_500(site, device_and_token, payload):
    _device, token = device_and_token
    response = kiosk(token).post(PICKUP, payload, format="json")
    assert response.status_code == 400, response.content
    assert "error" in response.json()


def test_json_garbage_is_400(site, device_and_token):
    _device, token = device_and_token
    response = kiosk(token).post(PICKUP, b"{not json", content_type="application/json")
    assert response.status_code == 400
    response = kiosk(token).post(PICKUP, b"\xff\xfe", content_type="application/json")
    assert response.status_code == 400


def test_sites_list_with_availability(client, site, recipient, django_assert_max_num_queries):
    deposit(site, recipient, size="L")
    with django_assert_max_num_queries(2):  # the page count and the page
        body = client.get("/api/v1/lockers/sites/").json()
    row = body["results"][0]
    assert row["name"] == site.name and row["compartments"] == 5
    assert row["free"] == {"S": 2, "M": 2, "L": 0, "total": 4}


def test_resident_registers_and_sees_own_parcels_without_codes(site):
    from tests.factories import HouseholdFactory

    user = HouseholdFactory(notify_by_sms=True).user
    client = APIClient()
    client.force_authenticate(user)
    response = client.post("/api/v1/lockers/registrations/", {"site": site.pk}, format="json")
    assert response.status_code == 201
    assert LockerRegistration.objects.filter(user=user, site=site).exists()
    stored_with_code(site, user, CODE)
    deposit(site, make_recipient(site))
    parcels = client.get("/api/v1/lockers/deliveries/").json()["results"]
    assert len(parcels) == 1
    assert CODE not in str(parcels) and "code" not in parcels[0]
    assert parcels[0]["compartment"] == "A-01" and parcels[0]["fee_so_far"] == 0


def test_registration_refusals(site):
    from tests.factories import HouseholdFactory

    client = APIClient()
    assert client.post("/api/v1/lockers/registrations/", {"site": site.pk}).status_code == 403
    client.force_authenticate(HouseholdFactory(notify_by_sms=False).user)
    response = client.post("/api/v1/lockers/registrations/", {"site": site.pk}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "no_sms"
    response = client.post("/api/v1/lockers/registrations/", {"site": 999999}, format="json")
    assert response.status_code == 400


def test_staff_deposit_and_scoped_list(site, recipient, caseworker_a, caseworker_b):
    other = make_site("11140", name="황학동 무인택배함")
    deposit(other, make_recipient(other))
    client = APIClient()
    client.force_authenticate(caseworker_a)
    response = client.post(
        "/api/v1/staff/lockers/deliveries/",
        {"site": site.pk, "recipient_phone": "01012345678", "size": "M", "courier": "우체국"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["compartment"] == "A-03"
    assert response.json()["recipient"] == "김*나"
    listed = client.get("/api/v1/staff/lockers/deliveries/").json()["results"]
    assert [row["site"] for row in listed] == [site.name]

    # District B's caseworker neither sees A's deliveries nor deposits at A's site.
    client.force_authenticate(caseworker_b)
    listed = client.get("/api/v1/staff/lockers/deliveries/").json()["results"]
    assert [row["site"] for row in listed] == [other.name]
    response = client.post(
        "/api/v1/staff/lockers/deliveries/",
        {"site": site.pk, "recipient_phone": "010-1234-5678", "size": "S"},
        format="json",
    )
    assert response.status_code == 400
    assert Delivery.objects.filter(compartment__site=site).count() == 1


def test_staff_deposit_refusals(site, recipient, caseworker_a):
    client = APIClient()
    client.force_authenticate(caseworker_a)
    Compartment.objects.filter(site=site, size="L").delete()
    url = "/api/v1/staff/lockers/deliveries/"
    response = client.post(
        url, {"site": site.pk, "recipient_phone": "010-0000-0000", "size": "S"}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_registered"
    response = client.post(
        url, {"site": site.pk, "recipient_phone": "010-1234-5678", "size": "L"}, format="json"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "full"
    resident = APIClient()
    resident.force_authenticate(recipient)
    assert resident.get(url).status_code == 403


def test_kiosk_of_one_site_cannot_open_another(site, recipient):
    other = make_site("11140", name="황학동 무인택배함")
    _device, token = make_device(other)
    stored_with_code(site, recipient, CODE)
    response = kiosk(token).post(PICKUP, {"compartment": "A-01", "code": CODE}, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "no_parcel"
