"""Simultaneous deposits never put two parcels in one compartment (Postgres)."""

from __future__ import annotations

import pytest

from lockers.models import Delivery
from lockers.services import LockerError
from tests.concurrency import run_together

from .helpers import deposit, make_recipient, make_site

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_twenty_simultaneous_deposits_for_five_compartments():
    site = make_site(sizes="SSSSS")
    people = [make_recipient(site) for _ in range(20)]

    results = run_together([lambda p=p: deposit(site, p) for p in people])

    stored = [r for r in results if isinstance(r, Delivery)]
    refusals = [r for r in results if isinstance(r, LockerError)]
    assert len(stored) == 5
    assert len(refusals) == 15 and {r.code for r in refusals} <= {"full", "busy"}
    labels = list(Delivery.objects.filter(status="stored").values_list("compartment__label", flat=True))
    assert sorted(labels) == ["A-01", "A-02", "A-03", "A-04", "A-05"]
