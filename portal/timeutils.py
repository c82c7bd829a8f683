"""The date policy: instants are stored in UTC, and every day, week and wall-clock time is Seoul's
(settings.TIME_ZONE). One place turns a local date into the instant it starts, so "today", a period
filter and a room's day all agree across the UTC/Seoul date line (08:00 Monday in Seoul is Sunday in UTC).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def local_today(now: datetime | None = None) -> date:
    """Seoul's date at `now` (default: the current instant)."""
    return to_local(now or timezone.now()).date()


def local_datetime(day: date, clock: time) -> datetime:
    """An aware datetime for a local date and wall-clock time."""
    return datetime.combine(day, clock, tzinfo=local_zone())


def local_midnight(day: date | str, *, days: int = 0) -> datetime:
    """The instant local `day` (+ `days`) begins: the lower bound of a day, the upper bound of the day
    before. Accepts an ISO date string, as period filters carry them."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return local_datetime(day + timedelta(days=days), time.min)
