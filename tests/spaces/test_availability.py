"""A room's free and taken time per Seoul day (the week view and the availability API use it)."""

from __future__ import annotations

from datetime import date, time

import pytest

from spaces.availability import SlotState, room_days, slot_times
from spaces.models import BookingStatus, Closure
from tests.factories import JUNGGU, book, seoul, space_with_room

pytestmark = pytest.mark.django_db

NOW = seoul("2026-11-20 12:00")
MONDAY, SUNDAY = date(2026, 11, 23), date(2026, 11, 29)


def states(day):
    return {f"{slot.starts_at:%H:%M}": slot.state for slot in day.slots}


def test_a_week_of_slots_with_taken_pending_and_closed(django_assert_max_num_queries):
    room = space_with_room(JUNGGU, hours=("07:00", "12:00"), weekdays=range(6))  # closed on Sundays
    book(room, start="2026-11-23 08:00", end="2026-11-23 09:00")  # 23:00–00:00 UTC on the 22nd
    book(room, start="2026-11-24 10:00", end="2026-11-24 11:00", status=BookingStatus.PENDING)
    book(room, start="2026-11-24 07:00", end="2026-11-24 08:00", status=BookingStatus.CANCELLED)
    Closure.objects.create(
        space=room.space, starts_on=date(2026, 11, 25), ends_on=date(2026, 11, 25), reason="holiday"
    )

    with django_assert_max_num_queries(3):
        days = room_days(room, MONDAY, SUNDAY, now=NOW)

    assert [d.day for d in days] == [date(2026, 11, 23 + n) for n in range(7)]
    monday, tuesday, wednesday = days[0], days[1], days[2]
    assert states(monday)["08:00"] == SlotState.TAKEN
    assert states(monday)["08:30"] == SlotState.TAKEN
    assert states(monday)["09:00"] == SlotState.FREE
    assert states(monday)["07:30"] == SlotState.FREE
    assert states(tuesday)["10:00"] == SlotState.PENDING
    assert states(tuesday)["07:00"] == SlotState.FREE  # the cancelled booking freed it
    assert wednesday.closure and not wednesday.slots
    assert days[6].open_intervals == [] and not days[6].slots
    assert monday.taken[0][0] == seoul("2026-11-23 08:00")
    assert slot_times(days)[0] == time(7, 0)
    assert monday.free_intervals == [
        (seoul("2026-11-23 07:00"), seoul("2026-11-23 08:00")),
        (seoul("2026-11-23 09:00"), seoul("2026-11-23 12:00")),
    ]


def test_past_too_soon_and_too_far_slots_are_not_bookable():
    room = space_with_room(JUNGGU, hours=("09:00", "18:00"), max_days_ahead=3, min_notice_hours=2)
    now = seoul("2026-11-23 10:15")
    days = room_days(room, MONDAY, SUNDAY, now=now)
    monday = states(days[0])
    assert monday["10:00"] == SlotState.UNAVAILABLE  # past
    assert monday["12:00"] == SlotState.UNAVAILABLE  # less than 2 hours' notice
    assert monday["12:30"] == SlotState.FREE
    assert states(days[3])["09:00"] == SlotState.FREE  # Thursday: 3 days ahead
    assert states(days[4])["09:00"] == SlotState.UNAVAILABLE  # Friday: too far


def test_an_empty_range():
    room = space_with_room(JUNGGU)
    assert room_days(room, SUNDAY, MONDAY, now=NOW) == []
