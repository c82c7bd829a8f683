"""The working-hours clock: weekends, Korean public holidays (lunar ones included), extra days off and
instants outside working hours."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inquiries.clock import (
    add_working_seconds,
    alert_at,
    due_at,
    is_working_day,
    working_seconds_between,
    working_seconds_left,
)

SEOUL = ZoneInfo("Asia/Seoul")
HOUR = 3600


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SEOUL)


def test_monday_morning_is_due_after_five_full_days_and_three_hours():
    # 48 h at 9 h a day: Mon 10:00 + 8 h (Mon) + 9×4 (Tue–Fri) = 44 h; 4 h more on the next Monday.
    assert due_at(at("2026-11-02T10:00")) == at("2026-11-09T13:00")


def test_friday_afternoon_skips_the_weekend():
    assert add_working_seconds(at("2026-11-06T17:00"), 2 * HOUR) == at("2026-11-09T10:00")


def test_outside_hours_counts_from_the_next_opening():
    assert add_working_seconds(at("2026-11-07T23:00"), HOUR) == at("2026-11-09T10:00")
    assert add_working_seconds(at("2026-11-04T07:30"), HOUR) == at("2026-11-04T10:00")
    assert add_working_seconds(at("2026-11-04T19:00"), HOUR) == at("2026-11-05T10:00")


def test_chuseok_and_its_substitute_days_do_not_count():
    # 2026-09-24..26 are Chuseok (Thu–Sat): Wednesday 17:00 + 2 h reaches Monday the 28th.
    assert not is_working_day(at("2026-09-24").date())
    assert add_working_seconds(at("2026-09-23T17:00"), 2 * HOUR) == at("2026-09-28T10:00")


def test_extra_holidays_from_settings(settings):
    assert is_working_day(at("2026-11-04").date())
    settings.INQUIRY_EXTRA_HOLIDAYS = ["2026-11-04"]
    assert not is_working_day(at("2026-11-04").date())
    assert add_working_seconds(at("2026-11-03T17:00"), 2 * HOUR) == at("2026-11-05T10:00")


def test_working_hours_from_settings(settings):
    settings.INQUIRY_WORKDAY_START, settings.INQUIRY_WORKDAY_END = "10:00", "12:00"
    settings.INQUIRY_ANSWER_HOURS = 4
    assert due_at(at("2026-11-02T11:00")) == at("2026-11-04T11:00")


def test_alert_comes_at_36_working_hours():
    start = at("2026-11-02T09:00")
    assert alert_at(start) == at("2026-11-05T18:00")
    assert working_seconds_between(start, alert_at(start)) == 36 * HOUR
    assert working_seconds_between(start, due_at(start)) == 48 * HOUR


def test_seconds_between_is_the_inverse_of_adding():
    for start in (at("2026-12-24T16:30"), at("2026-02-13T12:00"), at("2026-05-01T08:00")):
        assert working_seconds_between(start, add_working_seconds(start, 20 * HOUR + 7)) == 20 * HOUR + 7


def test_seconds_between_nothing_backwards_and_across_utc_dates():
    assert working_seconds_between(at("2026-11-03T12:00"), at("2026-11-03T11:00")) == 0
    # 08:00 Seoul is the day before in UTC: the local date decides.
    utc = ZoneInfo("UTC")
    a = at("2026-11-03T08:00").astimezone(utc)
    b = at("2026-11-03T10:00").astimezone(utc)
    assert working_seconds_between(a, b) == HOUR


def test_time_left_turns_negative_after_the_due_time():
    due = at("2026-11-04T12:00")
    assert working_seconds_left(at("2026-11-04T10:00"), due) == 2 * HOUR
    assert working_seconds_left(at("2026-11-05T10:00"), due) == -7 * HOUR


def test_a_misconfiguration_is_refused(settings):
    settings.INQUIRY_WORKDAY_START, settings.INQUIRY_WORKDAY_END = "18:00", "09:00"
    with pytest.raises(ValueError):
        due_at(at("2026-11-02T10:00"))
