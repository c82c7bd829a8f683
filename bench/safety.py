"""Issue 4 benchmarks: the kit-request review list at 200,000 requests and kiosk pickup by code."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from households.models import Household
from lockers.models import Compartment, LockerRegistration, LockerSite
from lockers.services import delivery_deposit, device_create
from portal.models import District, Notification, User
from safety.models import KitOffer, KitRequest

from .state import delete_where

BATCH = 5_000
BENCH_PREFIX = "KB-"
STATUSES = ["submitted", "approved", "rejected", "scheduled", "installed", "cancelled"]
FINISHED = ["rejected", "installed", "cancelled"]


def generate_kit_requests(total: int) -> None:
    """`total` requests spread over the households, into an empty kit-request table (see bench.__main__);
    only a household's first may still be open (the database allows one open request per household),
    the others are finished."""
    rng = random.Random(4)
    offers = {}
    for district in District.objects.filter(city__code="11"):
        offer, _created = KitOffer.objects.get_or_create(district=district, defaults={"max_items": 3})
        offers[district.pk] = offer
    households = list(Household.objects.order_by("id").values_list("id", "district_id"))
    rounds = -(-total // len(households))
    now = timezone.now()
    rows = []
    for round_number in range(rounds):
        for household_id, district_id in households:
            if len(rows) >= total:
                break
            status = rng.choice(STATUSES if round_number == 0 else FINISHED)
            rows.append(
                KitRequest(
                    reference=f"{BENCH_PREFIX}{household_id}-{round_number}",
                    household_id=household_id,
                    district_id=district_id,
                    offer=offers[district_id],
                    status=status,
                    priority=rng.choice([1, 2, 3, 9, 9, 9]),
                    eligibility_verdict="eligible",
                    submitted_at=now - timedelta(minutes=rng.randint(0, 400 * 24 * 60)),
                    decision_reason="재고 부족" if status == "rejected" else "",
                )
            )
    KitRequest.objects.bulk_create(rows[:total], batch_size=BATCH)


def kit_admin_scenario(caseworker: User, requests: int):
    client = Client()
    client.force_login(caseworker)
    urls = itertools.cycle(
        [
            "/admin/safety/kitrequest/",
            "/admin/safety/kitrequest/?status__exact=submitted",
            "/admin/safety/kitrequest/?p=2",
        ]
    )

    def call():
        response = client.get(next(urls))
        if response.status_code != 200:
            raise RuntimeError(f"kit-request admin answered {response.status_code}")

    return (f"kit-request admin list ({requests:,} requests)", call, "p95 ≤ 150 ms")


def kiosk_scenario(count: int):
    """Deposit `count` parcels (codes read back from the unsent SMS rows: the bench never delivers
    them), then each call picks one up at the kiosk API with the device token."""
    district = District.objects.get(code="11620")
    site, _created = LockerSite.objects.get_or_create(
        name="벤치 무인택배함",
        district=district,
        defaults={"address": "관악구 벤치로 1", "opening_hours": "24시간"},
    )
    # A fresh start on every run: earlier parcels would fill the compartments (set-wise, no signals).
    compartments = "compartment_id IN (SELECT id FROM lockers_compartment WHERE site_id = %s)"
    delete_where("lockers_pickupattempt", compartments, [site.pk])
    delete_where("lockers_delivery", compartments, [site.pk])
    Compartment.objects.filter(site=site).update(locked_at=None)
    existing = set(site.compartments.values_list("label", flat=True))
    Compartment.objects.bulk_create(
        [
            Compartment(site=site, label=f"B-{n:04d}", size="M")
            for n in range(count + 20)
            if f"B-{n:04d}" not in existing
        ]
    )
    _device, token = device_create(site=site, name="bench kiosk", actor=None)
    ids = list(
        Household.objects.filter(district=district).order_by("id").values_list("id", flat=True)[: count + 10]
    )
    # Texts on before loading the users: each user object carries its household, read after this.
    Household.objects.filter(id__in=ids).update(phone="010-1234-5678", notify_by_sms=True)
    recipients = [h.user for h in Household.objects.select_related("user").filter(id__in=ids)]
    LockerRegistration.objects.bulk_create(
        [LockerRegistration(user=user, site=site) for user in recipients], ignore_conflicts=True
    )
    pickups = []
    for user in recipients:
        delivery = delivery_deposit(site=site, recipient=user, size="M", actor=None)
        sms = Notification.objects.get(event_key__startswith=f"locker:{delivery.pk}:delivered", channel="sms")
        pickups.append((delivery.compartment.label, sms.context["code"]))
    kiosk = Client(HTTP_AUTHORIZATION=f"Device {token}")
    queue = iter(pickups)

    def call():
        label, code = next(queue)
        response = kiosk.post(
            "/api/v1/kiosk/pickup/", {"compartment": label, "code": code}, content_type="application/json"
        )
        if response.status_code != 200:
            raise RuntimeError(f"kiosk answered {response.status_code}: {response.content[:200]!r}")

    return ("kiosk pickup by code (API, device token)", call, "p95 ≤ 50 ms")
