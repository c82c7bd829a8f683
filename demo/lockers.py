"""Demo parcel lockers: two sites (관악구 신림동, 중구 황학동) with S/M/L compartments, each district's
fee policy, one kiosk per site, the demo residents' registrations and three parcels (one fresh, one
past its free period, one past the holding period). Idempotent: rows are matched by natural keys.

The kiosk tokens are fixed, documented demo strings (README, "Parcel lockers"); only their hashes are
stored, as for real devices. The demo parcels' codes are unknown to anyone except the fresh one's,
documented for trying the kiosk API; nothing secret is printed.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from lockers.models import (
    Compartment,
    Delivery,
    LockerDevice,
    LockerPolicy,
    LockerRegistration,
    LockerSite,
)
from lockers.services import code_hash, token_hash
from portal.models import District, User

DEMO_FRESH_PARCEL_CODE = "240614"

SITES = [
    {
        "district": "11620",
        "name": "관악구 신림동 여성안심택배함",
        "address": "서울특별시 관악구 신림동 주민센터 앞 (예시 주소)",
        "opening_hours": "24시간 (연중무휴)",
        "policy": {"daily_fee": 1000, "free_hours": 48, "max_hold_days": 7},
        "device": ("신림동 키오스크", "demo-kiosk-gwanak"),
        "compartments": {"S": 6, "M": 4, "L": 2},
    },
    {
        "district": "11140",
        "name": "중구 황학동 놀다가 앞 무인택배함",
        "address": "서울특별시 중구 황학동 1인가구 소통공간 '놀다가' 앞 (예시 주소)",
        "opening_hours": "06:00–24:00",
        "policy": {"daily_fee": 500, "free_hours": 48, "max_hold_days": 7},
        "device": ("황학동 키오스크", "demo-kiosk-junggu"),
        "compartments": {"S": 4, "M": 3, "L": 2},
    },
]

# (tracking number, resident email, site index, compartment label, hours since deposit, code or None)
PARCELS = [
    ("DEMO-0001", "resident@hana.demo", 0, "S-01", 3, DEMO_FRESH_PARCEL_CODE),
    ("DEMO-0002", "resident@hana.demo", 0, "M-01", 60, None),  # past the free period: a fee is due
    ("DEMO-0003", "resident2@hana.demo", 1, "S-01", 24 * 8, None),  # past the holding period
]


def load_lockers(*, now: datetime | None = None) -> None:
    now = now or timezone.now()
    sites = [_site(spec) for spec in SITES]
    for user in User.objects.filter(email__in=["resident@hana.demo", "resident2@hana.demo"]):
        for site in sites:
            LockerRegistration.objects.get_or_create(user=user, site=site)
    for tracking, email, site_index, label, hours, code in PARCELS:
        if Delivery.objects.filter(tracking_number=tracking).exists():
            continue
        site = sites[site_index]
        compartment = Compartment.objects.get(site=site, label=label)
        if Delivery.objects.filter(compartment=compartment, status__in=["stored", "return_marked"]).exists():
            continue  # the compartment was filled by someone trying the demo: leave it
        deposited_at = now - timedelta(hours=hours)
        delivery = Delivery.objects.create(
            compartment=compartment,
            recipient=User.objects.get(email=email),
            district=site.district,
            courier="CJ대한통운",
            tracking_number=tracking,
            deposited_at=deposited_at,
        )
        delivery.reference = f"PL-{timezone.localtime(deposited_at).year}-{delivery.pk:06d}"
        # The others get a random code nobody keeps.
        delivery.code_hash = code_hash(delivery.pk, code or secrets.token_hex(8))
        delivery.save(update_fields=["reference", "code_hash"])


def _site(spec: dict) -> LockerSite:
    district = District.objects.get(code=spec["district"])
    LockerPolicy.objects.update_or_create(district=district, defaults=spec["policy"])
    site, _created = LockerSite.objects.update_or_create(
        district=district,
        name=spec["name"],
        defaults={"address": spec["address"], "opening_hours": spec["opening_hours"], "is_active": True},
    )
    for size, count in spec["compartments"].items():
        for number in range(1, count + 1):
            Compartment.objects.get_or_create(
                site=site, label=f"{size}-{number:02d}", defaults={"size": size}
            )
    name, token = spec["device"]
    LockerDevice.objects.get_or_create(token_hash=token_hash(token), defaults={"site": site, "name": name})
    return site
