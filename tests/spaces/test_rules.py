"""Every booking rule, each refusal naming its rule and field; wall-clock rules judged in Seoul time.

The day-boundary cases use mornings before 09:00 in Seoul, which are the *previous* day in UTC: a rule
that compared UTC dates or weekdays would get each of them wrong.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from spaces.models import BookingPolicy, BookingStatus, Closure, ClosureReason, Suspension
from spaces.rules import check_booking, week_start
from tests.factories import JUNGGU, HouseholdFactory, book, district, seoul, space_with_room

pytestmark = pytest.mark.django_db

# Monday 2026-11-23 and the days around it. "Now" is the Friday before, at noon in Seoul.
NOW = seoul("2026-11-20 12:00")


@pytest.fixture
def room():
    # Open 07:00–21:00 every day: early mornings (UTC: the day before) are inside opening hours.
    return space_with_room(JUNGGU, hours=("07:00", "21:00"))


@pytest.fixture
def household():
    return HouseholdFactory(district=district(JUNGGU))


def codes(room, start, end, *, household=None, headcount=2, purpose="독서 모임", now=NOW, exclude=None):
    failures = check_booking(
        room=room,
        starts_at=seoul(start),
        ends_at=seoul(end),
        headcount=headcount,
        purpose=purpose,
        household_id=household.pk if household else None,
        exclude_booking_id=exclude,
        now=now,
    )
    return {f.code: f for f in failures}


def test_a_valid_booking_breaks_no_rule(room, household):
    assert codes(room, "2026-11-23 10:00", "2026-11-23 11:30", household=household) == {}


def test_end_before_start_is_refused_alone(room, household):
    found = codes(room, "2026-11-23 11:00", "2026-11-23 10:00", household=household)
    assert set(found) == {"invalid_range"}
    assert found["invalid_range"].field == "ends_at"


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2026-11-23 10:10", "2026-11-23 11:10", "starts_at"),
        ("2026-11-23 10:00", "2026-11-23 11:15", "ends_at"),
        # 07:45 in Seoul is 22:45 UTC the day before: the step is counted from local midnight.
        ("2026-11-23 07:45", "2026-11-23 08:45", "starts_at"),
    ],
)
def test_start_and_end_must_sit_on_the_slot_step(room, household, start, end, field):
    found = codes(room, start, end, household=household)
    assert found["slot_step"].field == field
    assert "30" in found["slot_step"].message


def test_a_slot_step_across_the_utc_day_boundary_is_accepted(room, household):
    # 08:30–09:30 Seoul = 23:30–00:30 UTC: on the step in Seoul time.
    assert "slot_step" not in codes(room, "2026-11-23 08:30", "2026-11-23 09:30", household=household)


def test_minimum_and_maximum_length(room, household):
    assert "too_short" in codes(room, "2026-11-23 10:00", "2026-11-23 10:30", household=household)
    assert "too_long" in codes(room, "2026-11-23 10:00", "2026-11-23 13:30", household=household)
    assert not codes(room, "2026-11-23 10:00", "2026-11-23 13:00", household=household)


def test_opening_hours_are_read_on_the_seoul_weekday():
    # Open on Mondays only, 07:00–12:00. 08:00 Monday in Seoul is 23:00 *Sunday* in UTC.
    monday_only = space_with_room(JUNGGU, hours=("07:00", "12:00"), weekdays=[0])
    assert not codes(monday_only, "2026-11-23 08:00", "2026-11-23 09:00")
    sunday = codes(monday_only, "2026-11-22 08:00", "2026-11-22 09:00")
    assert sunday["outside_hours"].field == "starts_at"


def test_outside_opening_hours_names_the_hours(room, household):
    found = codes(room, "2026-11-23 20:00", "2026-11-23 22:00", household=household)
    assert "07:00–21:00" in found["outside_hours"].message


def test_a_day_without_opening_hours_is_closed():
    weekdays = space_with_room(JUNGGU, weekdays=range(5))  # Monday to Friday
    found = codes(weekdays, "2026-11-22 10:00", "2026-11-22 11:00")  # a Sunday
    assert "outside_hours" in found


def test_a_booking_cannot_run_past_midnight(room):
    found = codes(room, "2026-11-23 20:30", "2026-11-24 00:30")
    assert "outside_hours" in found


def test_a_closure_day_is_judged_by_the_seoul_date(room, household):
    Closure.objects.create(
        space=room.space,
        starts_on=date(2026, 11, 23),
        ends_on=date(2026, 11, 23),
        reason=ClosureReason.MAINTENANCE,
        note="화장실 공사",
    )
    # 08:00 on the 23rd in Seoul is still the 22nd in UTC.
    found = codes(room, "2026-11-23 08:00", "2026-11-23 09:00", household=household)
    assert "화장실 공사" in found["closed"].message
    # 08:00 on the 24th in Seoul is the 23rd in UTC: not closed.
    assert "closed" not in codes(room, "2026-11-24 08:00", "2026-11-24 09:00", household=household)


def test_a_room_closure_does_not_close_other_rooms(room, household):
    other = type(room).objects.create(space=room.space, name="공유부엌", capacity=8)
    Closure.objects.create(
        space=room.space, room=other, starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 24), reason="other"
    )
    assert "closed" in codes(other, "2026-11-23 10:00", "2026-11-23 11:00", household=household)
    assert "closed" not in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household)


def test_too_late_and_past(room, household):
    room.min_notice_hours = 2
    now = seoul("2026-11-23 09:15")
    assert "too_late" in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household, now=now)
    assert "past" in codes(room, "2026-11-23 09:00", "2026-11-23 10:00", household=household, now=now)
    assert not codes(room, "2026-11-23 11:30", "2026-11-23 12:30", household=household, now=now)


def test_how_far_ahead_counts_seoul_days(room, household):
    room.max_days_ahead = 1
    # Sunday 23:30 in Seoul (14:30 UTC, still Sunday in both). Monday is bookable, Tuesday is not,
    # including Tuesday 08:00 Seoul, which is Monday 23:00 in UTC.
    now = seoul("2026-11-22 23:30")
    assert "too_far" not in codes(room, "2026-11-23 20:00", "2026-11-23 21:00", household=household, now=now)
    found = codes(room, "2026-11-24 08:00", "2026-11-24 09:00", household=household, now=now)
    assert "too_far" in found
    assert "1" in found["too_far"].message


def test_staff_bookings_are_not_held_to_notice_advance_or_household_limits(room):
    room.max_days_ahead = 1
    assert not codes(room, "2026-12-23 10:00", "2026-12-23 11:00", household=None)


def test_headcount_capacity_and_purpose(room, household):
    found = codes(
        room, "2026-11-23 10:00", "2026-11-23 11:00", household=household, headcount=11, purpose=" "
    )
    assert found["capacity"].field == "headcount"
    assert "10" in found["capacity"].message
    assert found["purpose"].field == "purpose"
    assert "headcount" in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", headcount=0)
    assert "headcount" in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", headcount=None)


def test_an_inactive_room_or_space_takes_no_bookings(room, household):
    room.is_active = False
    assert "not_bookable" in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household)
    room.is_active = True
    room.space.is_active = False
    assert "not_bookable" in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household)


def test_taken_slots_are_refused_but_touching_ones_are_not(room, household):
    book(room, start="2026-11-23 10:00", end="2026-11-23 11:00")
    assert "taken" in codes(room, "2026-11-23 10:30", "2026-11-23 11:30", household=household)
    assert "taken" in codes(room, "2026-11-23 09:00", "2026-11-23 12:00", household=household)
    assert "taken" not in codes(room, "2026-11-23 11:00", "2026-11-23 12:00", household=household)
    assert "taken" not in codes(room, "2026-11-23 09:00", "2026-11-23 10:00", household=household)


def test_taken_across_the_utc_day_boundary(room, household):
    # 08:00–09:00 Seoul is 23:00–00:00 UTC: overlap is compared on instants, not dates.
    book(room, start="2026-11-23 08:00", end="2026-11-23 09:00")
    assert "taken" in codes(room, "2026-11-23 08:30", "2026-11-23 09:30", household=household)
    assert "taken" not in codes(room, "2026-11-23 09:00", "2026-11-23 10:00", household=household)


def test_cancelled_and_rejected_bookings_free_their_slot(room, household):
    book(room, start="2026-11-23 10:00", end="2026-11-23 11:00", status=BookingStatus.CANCELLED)
    book(room, start="2026-11-23 10:00", end="2026-11-23 11:00", status=BookingStatus.REJECTED)
    assert "taken" not in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household)


def test_pending_bookings_hold_their_slot(room, household):
    book(room, start="2026-11-23 10:00", end="2026-11-23 11:00", status=BookingStatus.PENDING)
    assert "taken" in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household)


def test_a_booking_does_not_collide_with_itself(room, household):
    own = book(room, household, start="2026-11-23 10:00", end="2026-11-23 11:00")
    found = codes(room, "2026-11-23 10:30", "2026-11-23 11:30", household=household, exclude=own.pk)
    assert "taken" not in found


def test_upcoming_bookings_limit(room, household):
    BookingPolicy.objects.create(district=room.space.district, max_upcoming=2, max_hours_per_week=20)
    book(room, household, start="2026-11-24 10:00", end="2026-11-24 11:00")
    book(room, household, start="2026-11-25 10:00", end="2026-11-25 11:00", status=BookingStatus.PENDING)
    found = codes(room, "2026-11-26 10:00", "2026-11-26 11:00", household=household)
    assert "2" in found["too_many_upcoming"].message
    # A past booking does not count any more, nor does a cancelled one.
    later = seoul("2026-11-24 11:30")
    assert "too_many_upcoming" not in codes(
        room, "2026-11-26 10:00", "2026-11-26 11:00", household=household, now=later
    )


def test_upcoming_limit_counts_only_this_district(room, household):
    BookingPolicy.objects.create(district=room.space.district, max_upcoming=1)
    gwanak_room = space_with_room("11620")
    book(gwanak_room, household, start="2026-11-24 10:00", end="2026-11-24 11:00")
    assert "too_many_upcoming" not in codes(room, "2026-11-26 10:00", "2026-11-26 11:00", household=household)


def test_weekly_hours_use_the_seoul_week(room, household):
    BookingPolicy.objects.create(district=room.space.district, max_upcoming=10, max_hours_per_week=2)
    # Two hours on Sunday evening the 22nd: the week of Monday the 16th is full.
    book(room, household, start="2026-11-22 18:00", end="2026-11-22 20:00")
    found = codes(room, "2026-11-21 10:00", "2026-11-21 11:00", household=household)
    assert found["weekly_hours"].field == "ends_at"
    assert "2" in found["weekly_hours"].message
    # Monday the 23rd 08:00 in Seoul (Sunday 23:00 UTC) is in the next week: allowed.
    assert "weekly_hours" not in codes(room, "2026-11-23 08:00", "2026-11-23 10:00", household=household)
    # But three hours on that Monday would pass the limit of its own week.
    assert "weekly_hours" in codes(room, "2026-11-23 08:00", "2026-11-23 11:00", household=household)


def test_week_start_is_monday():
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def test_a_suspended_household_cannot_book(room, household):
    Suspension.objects.create(
        household=household,
        district=room.space.district,
        starts_at=NOW - timedelta(days=1),
        ends_at=seoul("2026-12-20 09:00"),
        reason="no-shows",
    )
    found = codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household)
    assert found["suspended"].field == "__all__"
    assert "2026" in found["suspended"].message


def test_a_lifted_or_ended_suspension_does_not_block(room, household):
    Suspension.objects.create(
        household=household,
        district=room.space.district,
        starts_at=NOW - timedelta(days=40),
        ends_at=NOW - timedelta(days=10),
        reason="no-shows",
    )
    Suspension.objects.create(
        household=household,
        district=room.space.district,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=29),
        reason="no-shows",
        lifted_at=NOW,
    )
    assert "suspended" not in codes(room, "2026-11-23 10:00", "2026-11-23 11:00", household=household)


def test_every_failure_is_reported_at_once(room, household):
    found = codes(room, "2026-11-23 20:10", "2026-11-23 22:00", household=household, headcount=50, purpose="")
    assert {"slot_step", "outside_hours", "capacity", "purpose"} <= set(found)


def test_dates_at_the_end_of_the_calendar_are_refused_not_crashed(room, household):
    found = codes(room, "9999-12-31 10:00", "9999-12-31 11:00", household=household)
    assert set(found) == {"too_far"}
    assert set(codes(room, "0001-01-02 10:00", "0001-01-02 11:00", household=household)) == {"too_far"}
