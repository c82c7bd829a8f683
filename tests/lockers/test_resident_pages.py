"""Resident pages: the accessible list of sites, registering, and My parcels (never the code)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lockers.models import LockerRegistration

from .helpers import deposit, stored_with_code

pytestmark = pytest.mark.django_db


def test_site_list_shows_address_hours_and_free_counts(client, site, recipient):
    deposit(site, recipient, size="S")
    page = client.get("/lockers/").content.decode()
    assert site.name in page and site.address in page and "24시간" in page
    assert "small 1, medium 2, large 1 (4 of 5 free)" in page


def test_register_from_the_list(client, site):
    from tests.factories import HouseholdFactory

    user = HouseholdFactory(notify_by_sms=True).user
    client.force_login(user)
    response = client.post(f"/lockers/{site.pk}/register/", follow=True)
    assert LockerRegistration.objects.filter(user=user, site=site).exists()
    assert "You are registered here." in response.content.decode()


def test_register_without_sms_explains(client, site):
    from tests.factories import HouseholdFactory

    user = HouseholdFactory(notify_by_sms=False).user
    client.force_login(user)
    response = client.post(f"/lockers/{site.pk}/register/", follow=True)
    assert not LockerRegistration.objects.filter(user=user).exists()
    assert "turn on text messages" in response.content.decode()


def test_register_needs_login_and_post(client, site):
    assert client.post(f"/lockers/{site.pk}/register/").status_code == 302
    assert not LockerRegistration.objects.exists()


def test_my_parcels_shows_fee_but_never_the_code(client, site, recipient):
    stored_with_code(site, recipient, "864209", at=timezone.now() - timedelta(hours=50))
    client.force_login(recipient)
    page = client.get("/lockers/parcels/").content.decode()
    assert "864209" not in page
    assert "A-01" in page and site.name in page
    assert "1,000 won" in page
    assert "sent to you by text message" in page


def test_my_parcels_shows_only_mine(client, site, recipient):
    from .helpers import make_recipient

    deposit(site, make_recipient(site))
    client.force_login(recipient)
    assert "A-01" not in client.get("/lockers/parcels/").content.decode()
