"""Kiosk pickup: the right code opens once, wrong codes are counted and cut off, expired codes fail,
and the fee follows the district's policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lockers.models import Compartment, DeliveryStatus, LockerPolicy, PickupAttempt
from lockers.services import (
    LockerError,
    compartment_unlock,
    fee_due,
    pickup_by_code,
    policy_for,
)
from portal.models import AuditEvent, Notification

from .helpers import make_recipient, stored_with_code

pytestmark = pytest.mark.django_db

CODE = "246810"


def _try(device, label, code):
    try:
        return pickup_by_code(device=device, compartment_label=label, code=code)
    except LockerError as error:
        return error.code


def test_the_same_code_cannot_open_twice(site, recipient, device):
    delivery = stored_with_code(site, recipient, CODE)
    opened, fee = pickup_by_code(device=device, compartment_label="a-01 ", code=CODE)
    assert opened.pk == delivery.pk and fee == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PICKED_UP and delivery.fee_charged == 0
    assert delivery.code_hash == ""
    assert _try(device, "A-01", CODE) == "no_parcel"
    assert Notification.objects.filter(user=recipient, template="locker.picked_up").exists()


def test_wrong_code_is_counted(site, recipient, device):
    stored_with_code(site, recipient, CODE)
    assert _try(device, "A-01", "000000") == "wrong_code"
    assert PickupAttempt.objects.filter(outcome="wrong_code", success=False).count() == 1


def test_fifth_wrong_code_locks_the_compartment_and_alerts_staff_once(
    site, recipient, device, caseworker_a, caseworker_b
):
    stored_with_code(site, recipient, CODE)
    results = [_try(device, "A-01", f"00000{i}") for i in range(4)]
    assert results == ["wrong_code"] * 4
    assert _try(device, "A-01", "000009") == "compartment_locked"
    assert Compartment.objects.get(site=site, label="A-01").locked_at is not None
    # Even the right code no longer opens it, and no more alerts go out.
    assert _try(device, "A-01", CODE) == "compartment_locked"
    assert _try(device, "A-01", "111111") == "compartment_locked"
    alerts = Notification.objects.filter(template="locker.compartment_locked")
    assert list(alerts.values_list("user_id", flat=True)) == [caseworker_a.pk]  # district A's staff only
    assert AuditEvent.objects.filter(action="lockers.compartment.locked").count() == 1

    compartment_unlock(compartment=Compartment.objects.get(site=site, label="A-01"), actor=caseworker_a)
    # Wrong codes before the unlock no longer count: one more mistake does not lock it again.
    assert _try(device, "A-01", "222222") == "wrong_code"
    opened, _fee = pickup_by_code(device=device, compartment_label="A-01", code=CODE)
    assert opened.status == DeliveryStatus.PICKED_UP


def test_device_sweeping_empty_compartments_is_throttled(site, device):
    outcomes = [_try(device, f"A-0{n}", "000000") for n in range(1, 6) for _ in range(4)]
    assert outcomes == ["no_parcel"] * 20
    assert _try(device, "A-01", "000000") == "too_many_attempts"


def test_too_many_wrong_codes_from_one_device(site, device):
    recipients = [make_recipient(site) for _ in range(5)]
    for person, size in zip(recipients, "SSMML", strict=True):  # fills A-01 … A-05
        stored_with_code(site, person, CODE, size=size)
    outcomes = []
    for label in ["A-01", "A-02", "A-03", "A-04", "A-05"]:
        for guess in range(4):  # under the compartment limit
            outcomes.append(_try(device, label, f"99999{guess}"))
    assert outcomes == ["wrong_code"] * 20
    assert _try(device, "A-01", CODE) == "too_many_attempts"


def test_expired_code_fails(site, recipient, device):
    policy = policy_for(site.district_id)
    stored_with_code(
        site, recipient, CODE, at=timezone.now() - timedelta(days=policy.max_hold_days, minutes=1)
    )
    assert _try(device, "A-01", CODE) == "expired"


def test_return_marked_parcel_code_fails(site, recipient, device):
    delivery = stored_with_code(site, recipient, CODE)
    delivery.status = DeliveryStatus.RETURN_MARKED
    delivery.save()
    assert _try(device, "A-01", CODE) == "expired"


def test_unknown_compartment_and_inactive_device(site, recipient, device):
    assert _try(device, "Z-99", CODE) == "unknown_compartment"
    device.is_active = False
    device.save()
    assert _try(device, "A-01", CODE) == "invalid_device"
    assert _try(None, "A-01", CODE) == "invalid_device"


@pytest.mark.parametrize(
    ("held", "fee"),
    [
        (timedelta(hours=47, minutes=59), 0),
        (timedelta(hours=48), 0),
        (timedelta(hours=48, minutes=1), 1000),
        (timedelta(hours=72), 1000),
        (timedelta(hours=72, minutes=1), 2000),
    ],
)
def test_fee_boundaries(site, held, fee):
    policy = policy_for(site.district_id)
    now = timezone.now()
    assert fee_due(deposited_at=now - held, at=now, policy=policy) == fee


def test_fee_charged_at_pickup_follows_the_district(site, recipient, device):
    LockerPolicy.objects.filter(district=site.district).update(daily_fee=500)
    delivery = stored_with_code(site, recipient, CODE, at=timezone.now() - timedelta(hours=72, minutes=1))
    opened, fee = pickup_by_code(device=device, compartment_label="A-01", code=CODE)
    assert fee == 1000
    delivery.refresh_from_db()
    assert delivery.fee_charged == 1000
