"""The lockers admin: scoped to the district, recipients masked, deposits through the service,
unlocking, and the device token shown once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lockers.models import Compartment, Delivery, LockerDevice
from portal.models import AuditEvent

from .helpers import deposit, make_recipient, make_site

pytestmark = pytest.mark.django_db


def test_deliveries_are_scoped_and_masked(client, site, recipient, caseworker_a, caseworker_b):
    mine = deposit(site, recipient)
    other_site = make_site("11140", name="황학동 무인택배함")
    theirs = deposit(other_site, make_recipient(other_site))

    client.force_login(caseworker_b)
    page = client.get("/admin/lockers/delivery/").content.decode()
    assert theirs.reference in page and mine.reference not in page
    assert client.get(f"/admin/lockers/delivery/{mine.pk}/change/").status_code == 302  # "doesn't exist"

    client.force_login(caseworker_a)
    page = client.get("/admin/lockers/delivery/").content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert "김*나" in page and "김하나" not in page
    assert client.get(f"/admin/lockers/delivery/{mine.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(action="lockers.delivery.viewed", target_id=str(mine.pk)).count() == 1


def test_sites_scoped(client, site, caseworker_b):
    client.force_login(caseworker_b)
    assert site.name not in client.get("/admin/lockers/lockersite/").content.decode()


def test_admin_deposit_form_uses_the_service(client, site, recipient, caseworker_a):
    client.force_login(caseworker_a)
    assert client.get("/admin/lockers/delivery/add/").status_code == 302
    response = client.post(
        "/admin/lockers/delivery/deposit/",
        {"site": site.pk, "recipient_phone": "010-1234-5678", "size": "L", "courier": "우체국"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    delivery = Delivery.objects.get()
    assert delivery.compartment.label == "A-05" and delivery.deposited_by == caseworker_a
    response = client.post(
        "/admin/lockers/delivery/deposit/", {"site": site.pk, "recipient_phone": "010-1234-5678", "size": "L"}
    )
    assert response.status_code == 200 and "No Large compartment is free" in response.content.decode()


def test_unlock_action(client, site, caseworker_a):
    Compartment.objects.filter(site=site, label="A-01").update(locked_at=timezone.now())
    compartment = Compartment.objects.get(site=site, label="A-01")
    client.force_login(caseworker_a)
    client.post(
        "/admin/lockers/compartment/", {"action": "unlock_selected", "_selected_action": [compartment.pk]}
    )
    compartment.refresh_from_db()
    assert compartment.locked_at is None and compartment.unlocked_at is not None
    assert AuditEvent.objects.filter(action="lockers.compartment.unlocked").count() == 1


def test_device_token_shown_once(client, site, city_admin):
    client.force_login(city_admin)
    response = client.post(
        "/admin/lockers/lockerdevice/add/", {"site": site.pk, "name": "kiosk 2"}, follow=True
    )
    page = response.content.decode()
    device = LockerDevice.objects.get(name="kiosk 2")
    token = page.split("it will not be shown again): ")[1].split("<")[0].strip()
    from lockers.services import device_for_token

    assert device_for_token(token) == device
    assert token not in client.get(f"/admin/lockers/lockerdevice/{device.pk}/change/").content.decode()
