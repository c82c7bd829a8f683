"""No double booking, even under simultaneous requests: PostgreSQL's exclusion constraint holds it.

Real threads, each on its own database connection, released together by a barrier.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from spaces import services
from spaces.models import Booking, BookingStatus
from tests.concurrency import run_together
from tests.factories import JUNGGU, HouseholdFactory, book, district, seoul, space_with_room

# serialized_rollback: a transactional test flushes the tables, and with them the reference data
# (districts) that migrations load; it is restored before each test.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOW = seoul("2026-11-20 12:00")


def test_forty_simultaneous_requests_for_one_slot_make_one_booking():
    room = space_with_room(JUNGGU)
    users = [HouseholdFactory(district=district(JUNGGU)).user for _ in range(40)]

    def attempt(user):
        return lambda: services.booking_create(
            user=user,
            room_id=room.pk,
            starts_at=seoul("2026-11-23 10:00"),
            ends_at=seoul("2026-11-23 11:00"),
            headcount=2,
            purpose="모임",
            now=NOW,
        )

    results = run_together([attempt(user) for user in users])

    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if not isinstance(r, Booking)]
    assert len(booked) == 1
    assert len(refused) == 39
    assert all(isinstance(r, services.BookingError) and r.code == "taken" for r in refused), refused
    assert Booking.objects.filter(room=room, status__in=["pending", "confirmed"]).count() == 1


def test_simultaneous_overlapping_but_different_slots_make_one_booking():
    room = space_with_room(JUNGGU)
    users = [HouseholdFactory(district=district(JUNGGU)).user for _ in range(6)]
    # Every one of them covers 10:30–11:00, so any two overlap.
    slots = [
        ("10:00", "11:00"),
        ("10:30", "11:30"),
        ("09:30", "11:00"),
        ("10:00", "12:00"),
        ("10:30", "12:00"),
        ("09:00", "11:00"),
    ]
    calls = [
        lambda user=user, slot=slot: services.booking_create(
            user=user,
            room_id=room.pk,
            starts_at=seoul(f"2026-11-23 {slot[0]}"),
            ends_at=seoul(f"2026-11-23 {slot[1]}"),
            headcount=2,
            purpose="모임",
            now=NOW,
        )
        for user, slot in zip(users, slots, strict=True)
    ]
    results = run_together(calls)
    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert all(isinstance(r, Booking | services.BookingError) for r in results), results
    assert {r.code for r in results if not isinstance(r, Booking)} == {"taken"}


def test_the_database_itself_refuses_an_overlap():
    room = space_with_room(JUNGGU)
    first = book(room, start="2026-11-23 10:00", end="2026-11-23 11:00")
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Booking.objects.create(
            room=room,
            district=first.district,
            household=first.household,
            booked_by=first.booked_by,
            starts_at=seoul("2026-11-23 10:59"),
            ends_at=seoul("2026-11-23 12:00"),
            headcount=1,
            purpose="x",
            status=BookingStatus.PENDING,
        )
    assert "booking_room_no_overlap" in str(refused.value)
    # Touching ends, another room, or a cancelled booking do not conflict.
    book(room, start="2026-11-23 11:00", end="2026-11-23 12:00")
    book(space_with_room(JUNGGU), start="2026-11-23 10:00", end="2026-11-23 11:00")
    book(room, start="2026-11-23 10:00", end="2026-11-23 11:00", status=BookingStatus.CANCELLED)
    # Editing a booking's own time over its old slot does not collide with itself.
    first.ends_at = seoul("2026-11-23 10:30")
    first.starts_at = seoul("2026-11-23 09:30")
    first.save()
    # Reactivating a cancelled booking whose slot is taken is refused too.
    cancelled = Booking.objects.get(status=BookingStatus.CANCELLED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CONFIRMED)


def test_simultaneous_bookings_of_distinct_slots_all_succeed():
    room = space_with_room(JUNGGU)
    users = [HouseholdFactory(district=district(JUNGGU)).user for _ in range(12)]
    calls = [
        lambda user=user, hour=hour: services.booking_create(
            user=user,
            room_id=room.pk,
            starts_at=seoul(f"2026-11-23 {hour:02d}:00"),
            ends_at=seoul(f"2026-11-23 {hour + 1:02d}:00"),
            headcount=2,
            purpose="모임",
            now=NOW,
        )
        for user, hour in zip(users, range(9, 21), strict=True)
    ]
    results = run_together(calls)
    assert all(isinstance(r, Booking) for r in results), results
    assert Booking.objects.filter(room=room).count() == 12


def test_one_household_cannot_pass_its_limit_with_simultaneous_requests():
    room = space_with_room(JUNGGU)
    household = HouseholdFactory(district=district(JUNGGU))  # default policy: 3 upcoming bookings
    calls = [
        lambda day=day: services.booking_create(
            user=household.user,
            room_id=room.pk,
            starts_at=seoul(f"2026-11-{day} 10:00"),
            ends_at=seoul(f"2026-11-{day} 11:00"),
            headcount=1,
            purpose="모임",
            now=NOW,
        )
        for day in (23, 24, 25, 26, 27, 28)
    ]
    results = run_together(calls)
    assert sum(isinstance(r, Booking) for r in results) == 3
    assert {r.code for r in results if not isinstance(r, Booking)} == {"too_many_upcoming"}


def test_forty_simultaneous_api_requests_answer_one_201_and_thirty_nine_409():
    """The same race through HTTP: no request answers 500, each loser is told the slot is taken."""
    from datetime import datetime, timedelta

    from django.utils import timezone
    from rest_framework.test import APIClient

    from portal.timeutils import local_datetime, to_local

    room = space_with_room(JUNGGU)
    users = [HouseholdFactory(district=district(JUNGGU)).user for _ in range(40)]
    day = to_local(timezone.now()).date() + timedelta(days=7)
    start = local_datetime(day, datetime.strptime("10:00", "%H:%M").time())
    payload = {
        "room": room.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "headcount": 2,
        "purpose": "모임",
    }

    def attempt(user):
        def call():
            client = APIClient()
            client.force_authenticate(user)
            response = client.post("/api/v1/bookings/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
            return response.status_code, response.json()

        return call

    results = run_together([attempt(user) for user in users])

    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [409] * 39, results
    refusals = [body["error"] for status, body in results if status == 409]
    assert {error["code"] for error in refusals} == {"taken"}
    assert all("already taken" in error["message"] for error in refusals)
    assert Booking.objects.filter(room=room).count() == 1


def test_a_series_losing_a_race_reports_conflicts_and_creates_nothing(caseworker_b):
    """Someone books a date between the series' check and its inserts: the database refuses the insert and
    the staff member gets the conflict list, not a 500."""
    from datetime import date, time
    from unittest import mock

    from spaces.models import BookingSeries

    room = space_with_room(JUNGGU)
    book(room, start="2026-12-01 18:30", end="2026-12-01 19:30")
    real = services.series_conflicts
    checks = []

    def racing(*args, **kwargs):
        checks.append(args)
        # The first check misses the booking, as if it was made a moment later.
        return [] if len(checks) == 1 else real(*args, **kwargs)

    with (
        mock.patch("django.utils.timezone.now", return_value=NOW),
        mock.patch("spaces.services.series.series_conflicts", side_effect=racing),
        pytest.raises(services.SeriesError) as refused,
    ):
        services.series_create(
            actor=caseworker_b,
            room_id=room.pk,
            title="행복한밥상",
            weekdays=[1],
            start_time=time(18),
            end_time=time(20),
            starts_on=date(2026, 11, 24),
            ends_on=date(2026, 12, 15),
        )
    assert len(checks) == 2  # the second check ran after the database refused an insert
    assert [(c.day, c.code) for c in refused.value.conflicts] == [(date(2026, 12, 1), "taken")]
    assert not BookingSeries.objects.exists()
    assert Booking.objects.count() == 1
