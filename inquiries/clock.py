"""The working-hours clock of the 48-hour promise: pure functions of the settings, no database.

Only working time counts: the working day in Seoul (INQUIRY_WORKDAY_START–END) on the weekdays worked
(INQUIRY_WORKDAYS), minus Korean public holidays (the `holidays` package, which knows the lunar ones and
the substitute days) and the extra days off of INQUIRY_EXTRA_HOLIDAYS (e.g. a district's foundation day).
An inquiry received on Friday 17:00 is due 48 working hours later: five working days and an hour on, not
on Sunday. The inquiry stores `due_at` and `alert_at` computed here once, so the queue and the sweep are
plain indexed comparisons with now.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings

from portal.timeutils import local_datetime, to_local

# A promise is never more than this many calendar days away (48 h at 9 h a day is under 6 working days;
# Chuseok and a weekend add about a week): a guard against a misconfiguration looping forever.
MAX_SEARCH_DAYS = 400


def _clock(raw: str) -> time:
    return time.fromisoformat(raw)


def workday_bounds() -> tuple[time, time]:
    start, end = _clock(settings.INQUIRY_WORKDAY_START), _clock(settings.INQUIRY_WORKDAY_END)
    if end <= start:
        raise ValueError("INQUIRY_WORKDAY_END must be after INQUIRY_WORKDAY_START")
    return start, end


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.KR(years=year))


def _extra_holidays() -> frozenset[date]:
    return frozenset(date.fromisoformat(str(day).strip()) for day in settings.INQUIRY_EXTRA_HOLIDAYS if day)


def is_working_day(day: date, *, extra: frozenset[date] | None = None) -> bool:
    if day.weekday() not in settings.INQUIRY_WORKDAYS:
        return False
    if day in _public_holidays(day.year):
        return False
    return day not in (_extra_holidays() if extra is None else extra)


def _working_window(day: date) -> tuple[datetime, datetime]:
    start, end = workday_bounds()
    return local_datetime(day, start), local_datetime(day, end)


def working_seconds_between(a: datetime, b: datetime) -> int:
    """Working seconds from instant `a` to instant `b` (0 if b is not after a)."""
    if b <= a:
        return 0
    extra = _extra_holidays()
    total = 0.0
    day, last = to_local(a).date(), to_local(b).date()
    while day <= last:
        if is_working_day(day, extra=extra):
            opens, closes = _working_window(day)
            overlap = (min(closes, b) - max(opens, a)).total_seconds()
            if overlap > 0:
                total += overlap
        day += timedelta(days=1)
    return int(total)


def add_working_seconds(start: datetime, seconds: int) -> datetime:
    """The instant `seconds` working seconds after `start` (an instant outside working hours counts from
    the next opening)."""
    extra = _extra_holidays()
    remaining = timedelta(seconds=seconds)
    day = to_local(start).date()
    for _ in range(MAX_SEARCH_DAYS):
        if is_working_day(day, extra=extra):
            opens, closes = _working_window(day)
            begin = max(opens, start)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("no working time found: check the INQUIRY_WORKDAYS and holiday settings")


def due_at(start: datetime) -> datetime:
    """When an inquiry received at `start` must be answered (INQUIRY_ANSWER_HOURS working hours)."""
    return add_working_seconds(start, settings.INQUIRY_ANSWER_HOURS * 3600)


def alert_at(start: datetime) -> datetime:
    """When the team lead is alerted about it if still unanswered (INQUIRY_ALERT_HOURS working hours)."""
    return add_working_seconds(start, settings.INQUIRY_ALERT_HOURS * 3600)


def working_seconds_left(now: datetime, due: datetime) -> int:
    """Working seconds from now until `due`; negative (the working time since) once it has passed."""
    if now <= due:
        return working_seconds_between(now, due)
    return -working_seconds_between(due, now)
