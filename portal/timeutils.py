"""The date policy: instants are stored in UTC, and every day, week and wall-clock time is Seoul's
(settings.TIME_ZONE). One place turns a local date into the instant it starts, so "today", a period
filter and a room's day all agree across the UTC/Seoul date line (08:00 Monday in Seoul is Sunday in UTC).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


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


# --- the supported range -----------------------------------------------------------------------------
# Python's dates run from year 1 to 9999, but a day at either end has no Seoul midnight in UTC (or no
# next day) and the arithmetic every filter and booking rule does on it overflows. No program, booking
# or report concerns a day outside these, so every date read from a person (forms, filters, API fields:
# portal.datefields and portal.api.fields) is refused outside them, with a message that says the range.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def is_supported(value: date | datetime) -> bool:
    """Whether a date (or the calendar day of a datetime, as written, before any zone conversion) is in
    the supported range."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def unsupported_date_message() -> str:
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def parse_supported_date(raw: object) -> date | None:
    """A day read from a query string or a JSON value (YYYY-MM-DD; anything after the 10th character is
    ignored, as week links carry times): None when it is not a real date or is outside the supported
    range, for callers that fall back to a default. Those that must say why use ``is_supported``."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw if is_supported(raw) else None
    if not isinstance(raw, str):
        return None
    try:
        day = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None
    return day if is_supported(day) else None
