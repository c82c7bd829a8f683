"""Demo lockers: sites, policies, kiosks, registrations and parcels; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from demo.lockers import DEMO_FRESH_PARCEL_CODE
from lockers.models import (
    Compartment,
    Delivery,
    LockerDevice,
    LockerPolicy,
    LockerRegistration,
    LockerSite,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (LockerSite, Compartment, LockerPolicy, LockerDevice, LockerRegistration, Delivery)
    ]


def test_demo_lockers_load_once_and_work(capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    out = capsys.readouterr().out
    assert "demo-kiosk" not in out and DEMO_FRESH_PARCEL_CODE not in out
    assert set(LockerSite.objects.values_list("district__code", flat=True)) == {"11620", "11140"}
    assert set(Compartment.objects.values_list("size", flat=True)) == {"S", "M", "L"}
    assert dict(LockerPolicy.objects.values_list("district__code", "daily_fee")) == {
        "11620": 1000,
        "11140": 500,
    }
    assert Delivery.objects.count() == 3

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Device demo-kiosk-gwanak")
    response = client.post("/api/v1/kiosk/pickup/", {"compartment": "S-01", "code": DEMO_FRESH_PARCEL_CODE})
    assert response.status_code == 200 and response.json()["fee_due"] == 0
    response = client.post("/api/v1/kiosk/pickup/", {"compartment": "M-01", "code": "000000"})
    assert response.json()["error"]["code"] == "wrong_code"
