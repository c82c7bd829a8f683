"""Builders for parcel-locker tests: a site with compartments, a registered recipient, a device."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from lockers.models import Compartment, Delivery, LockerPolicy, LockerRegistration, LockerSite
from lockers.services import code_hash, delivery_deposit, device_create
from tests.factories import GWANAK, HouseholdFactory, district


def make_site(
    code: str = GWANAK, *, sizes: str = "SSMML", name: str = "신림동 여성안심택배함", fee: int = 1000
):
    where = district(code)
    LockerPolicy.objects.get_or_create(district=where, defaults={"daily_fee": fee})
    site = LockerSite.objects.create(
        district=where, name=name, address="관악구 신림로 000", opening_hours="24시간"
    )
    for index, size in enumerate(sizes, start=1):
        Compartment.objects.create(site=site, label=f"A-{index:02d}", size=size)
    return site


def make_recipient(site: LockerSite, **household):
    household.setdefault("notify_by_sms", True)
    user = HouseholdFactory(district=site.district, **household).user
    LockerRegistration.objects.create(user=user, site=site)
    return user


def make_device(site: LockerSite):
    device, token = device_create(site=site, name="kiosk 1", actor=None)
    return device, token


def deposit(site: LockerSite, recipient, *, size: str = "S", actor=None) -> Delivery:
    return delivery_deposit(site=site, recipient=recipient, size=size, actor=actor, courier="CJ대한통운")


def stored_with_code(site: LockerSite, recipient, code: str, *, at: datetime | None = None, size: str = "S"):
    """A delivery with a code the test knows (the real one only exists in the SMS)."""
    delivery = deposit(site, recipient, size=size)
    delivery.code_hash = code_hash(delivery.pk, code)
    delivery.deposited_at = at or timezone.now()
    delivery.save(update_fields=["code_hash", "deposited_at"])
    return delivery
