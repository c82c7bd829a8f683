"""The personal-identifier guard in lockers: the courier staff type (admin and API; the tracking number is
left alone, Korea Post's are 13 digits), and the migration that masks old rows."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from rest_framework.test import APIClient

from lockers.models import Delivery

from .helpers import deposit

pytestmark = pytest.mark.django_db
WHY = "Hana never needs it"
TYPED = ["받는 분 900101-1234567", "9001011234567", "900101 1234567", "850505-5234567"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_courier_with_a_registration_number_is_refused_in_the_admin_and_by_the_api(
    client, site, recipient, caseworker_a, typed
):
    client.force_login(caseworker_a)
    page = client.post(
        "/admin/lockers/delivery/deposit/",
        {"site": site.pk, "recipient_phone": "010-1234-5678", "size": "L", "courier": typed},
    )
    api = APIClient()
    api.force_authenticate(caseworker_a)
    response = api.post(
        "/api/v1/staff/lockers/deliveries/",
        {"site": site.pk, "recipient_phone": "01012345678", "size": "M", "courier": typed},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 200 and WHY in page.content.decode()
    assert 'value="010-1234-5678"' in page.content.decode()
    assert response.status_code == 400, response.content
    assert WHY in response.json()["error"]["fields"]["courier"][0]
    assert not Delivery.objects.exists()


def test_a_13_digit_tracking_number_is_accepted(site, recipient, caseworker_a):
    api = APIClient()
    api.force_authenticate(caseworker_a)

    response = api.post(
        "/api/v1/staff/lockers/deliveries/",
        {"site": site.pk, "recipient_phone": "01012345678", "size": "M", "tracking_number": "9001011234567"},
        format="json",
    )

    assert response.status_code == 201, response.content


def test_the_migration_masks_a_courier_already_stored(site, recipient, capsys):
    delivery = deposit(site, recipient)
    Delivery.objects.filter(pk=delivery.pk).update(
        courier="우체국 900101-1234567", tracking_number="9001011234567"
    )
    migration = importlib.import_module("lockers.migrations.0002_identifier_guard")

    migration.mask_identifiers(django_apps, None)

    delivery.refresh_from_db()
    assert delivery.courier == "우체국 900101-1******"
    assert delivery.tracking_number == "9001011234567"
    assert "lockers: registration numbers masked in 1 row(s)" in capsys.readouterr().out
