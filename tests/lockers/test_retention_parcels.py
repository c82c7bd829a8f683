"""Retention: a parcel that left its compartment has its courier and tracking number blanked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lockers.models import Delivery
from portal import retention

from .helpers import deposit

pytestmark = pytest.mark.django_db


def run(days: int) -> int:
    return retention.prune_class(retention.get("parcels"), now=timezone.now() + timedelta(days=days))


def test_closed_parcels_are_blanked_after_the_period_not_before(settings, site, recipient):
    settings.RETENTION_PARCELS_DAYS = 90
    picked = deposit(site, recipient)
    Delivery.objects.filter(pk=picked.pk).update(status="picked_up", closed_at=timezone.now())
    returned = deposit(site, recipient)
    Delivery.objects.filter(pk=returned.pk).update(status="returned", closed_at=timezone.now())
    stored = deposit(site, recipient)
    Delivery.objects.update(tracking_number="6070123456789")

    assert run(89) == 0
    assert Delivery.objects.get(pk=picked.pk).tracking_number == "6070123456789"

    assert run(91) == 2
    for pk in (picked.pk, returned.pk):
        row = Delivery.objects.get(pk=pk)
        assert (row.courier, row.tracking_number) == ("", "")
    # A parcel still in its compartment keeps what the resident needs to find it.
    still = Delivery.objects.get(pk=stored.pk)
    assert still.courier == "CJ대한통운" and still.tracking_number == "6070123456789"

    assert run(91) == 0  # idempotent
