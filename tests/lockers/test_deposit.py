"""Deposits take only free compartments of the right size and refuse clearly when none is left."""

from __future__ import annotations

import pytest

from lockers.models import Compartment, DeliveryStatus
from lockers.selectors import sites_with_availability
from lockers.services import LockerError, delivery_deposit, delivery_mark_returned, locker_register
from portal.models import AuditEvent, Notification

from .helpers import deposit, make_recipient

pytestmark = pytest.mark.django_db


def test_deposit_fills_free_compartments_then_refuses(site, recipient, caseworker_a):
    first = deposit(site, recipient, actor=caseworker_a)
    second = deposit(site, recipient, actor=caseworker_a)
    assert {first.compartment.label, second.compartment.label} == {"A-01", "A-02"}
    assert first.reference.startswith("PL-") and first.reference.endswith(f"{first.pk:06d}")
    with pytest.raises(LockerError) as refused:
        deposit(site, recipient)
    assert refused.value.code == "full"
    assert "No Small compartment is free" in refused.value.message
    assert deposit(site, recipient, size="M").compartment.label == "A-03"
    assert AuditEvent.objects.filter(action="lockers.delivery.deposited").count() == 3
    delivered = Notification.objects.filter(user=recipient, template="locker.delivered")
    assert delivered.count() == 9  # inbox, email and SMS for each parcel


def test_locked_compartments_are_skipped_and_freed_ones_reused(site, recipient, caseworker_a):
    from django.utils import timezone

    Compartment.objects.filter(site=site, label="A-01").update(locked_at=timezone.now())
    first = deposit(site, recipient)
    assert first.compartment.label == "A-02"
    with pytest.raises(LockerError):
        deposit(site, recipient)
    delivery_mark_returned(delivery=first, actor=caseworker_a)
    first.refresh_from_db()
    assert first.status == DeliveryStatus.RETURNED
    assert deposit(site, recipient).compartment.label == "A-02"


def test_deposit_needs_a_registered_recipient_who_gets_texts(site):
    from tests.factories import HouseholdFactory

    stranger = HouseholdFactory(notify_by_sms=True).user
    with pytest.raises(LockerError) as refused:
        deposit(site, stranger)
    assert refused.value.code == "not_registered"
    silent = make_recipient(site, notify_by_sms=False)
    with pytest.raises(LockerError) as refused:
        deposit(site, silent)
    assert refused.value.code == "no_sms"
    with pytest.raises(LockerError) as refused:
        delivery_deposit(site=site, recipient=silent, size="XL", actor=None)
    assert refused.value.code == "invalid_size"


def test_registration_is_idempotent_and_needs_sms(site):
    from tests.factories import HouseholdFactory

    user = HouseholdFactory(notify_by_sms=True).user
    assert locker_register(user=user, site=site).pk == locker_register(user=user, site=site).pk
    with pytest.raises(LockerError) as refused:
        locker_register(user=HouseholdFactory(phone="").user, site=site)
    assert refused.value.code == "no_sms"


def test_availability_in_one_query(site, recipient, django_assert_num_queries):
    from .helpers import make_site

    make_site("11140", name="황학동 무인택배함")
    deposit(site, recipient, size="M")
    with django_assert_num_queries(1):
        sites = {s.name: s for s in sites_with_availability()}
    gwanak = sites[site.name]
    assert (gwanak.free_s, gwanak.free_m, gwanak.free_l, gwanak.free_total, gwanak.total) == (2, 1, 1, 4, 5)
    assert sites["황학동 무인택배함"].free_total == 5
