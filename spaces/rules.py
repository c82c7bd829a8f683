"""Every rule a booking must meet, each refusal naming the rule and the form field it concerns.

check_booking() returns *all* the failures, not the first, so a resident fixes everything in one go.
Rules about wall-clock time (slot step, opening hours, closures, how far ahead, the week of the weekly
limit) are judged in the space's local time, Asia/Seoul: 08:00 on a Monday in Seoul is 23:00 on Sunday in
UTC, and it is Monday's opening hours that apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.timeutils import local_datetime, to_local

from .models import (
    ACTIVE_STATUSES,
    UPCOMING_STATUSES,
    Booking,
    BookingPolicy,
    Closure,
    OpeningHours,
    Room,
    Suspension,
)

FAR_FUTURE = timedelta(days=3650)


def week_start(day: date) -> date:
    """The Monday of `day`'s week (weeks run Monday to Sunday, as Korean calendars print them)."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class RuleFailure:
    code: str
    field: str  # the form / API field it concerns, "__all__" for the booking as a whole
    message: str


def _hhmm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def check_booking(
    *,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    headcount: int | None,
    purpose: str,
    household_id: int | None,
    exclude_booking_id: int | None = None,
    now: datetime | None = None,
) -> list[RuleFailure]:
    """Why this booking cannot be made (empty when it can). `household_id` None: a staff booking, to which
    the per-household limits and the notice/advance windows do not apply."""
    now = now or timezone.now()
    if ends_at <= starts_at:
        return [RuleFailure("invalid_range", "ends_at", _("The end must be after the start."))]
    if starts_at > now + FAR_FUTURE or starts_at < now - FAR_FUTURE:
        # Nobody books a room ten years away; refusing here also keeps the week arithmetic below away
        # from the ends of the calendar (9999-12-31 + 7 days would overflow).
        return [RuleFailure("too_far", "starts_at", _("Choose a date within the booking window."))]
    failures: list[RuleFailure] = []
    space = room.space
    if not (room.is_active and space.is_active):
        failures.append(RuleFailure("not_bookable", "__all__", _("This room is not taking bookings.")))
    start, end = to_local(starts_at), to_local(ends_at)
    failures += _slot_rules(room, start, end)
    failures += _calendar_rules(room, start, end)
    if household_id is not None:
        failures += _window_rules(room, start, now)
    failures += _party_rules(room, headcount, purpose)
    if household_id is not None:
        failures += _household_rules(room, household_id, starts_at, ends_at, now, exclude_booking_id)
    if overlapping(room.pk, starts_at, ends_at, exclude_booking_id=exclude_booking_id).exists():
        failures.append(taken_failure())
    return failures


def taken_failure() -> RuleFailure:
    return RuleFailure(
        "taken", "starts_at", _("This time is already taken. Choose a free slot in the week view.")
    )


def overlapping(
    room_id: int, starts_at: datetime, ends_at: datetime, *, exclude_booking_id: int | None = None
):
    """Active bookings of the room overlapping [starts_at, ends_at): half-open, so touching ends do not
    count (10:00–11:00 and 11:00–12:00 both stand)."""
    rows = Booking.objects.filter(
        room_id=room_id,
        status__in=ACTIVE_STATUSES,
        # A booking never runs past midnight (opening hours end the same day), so none starting more than a
        # day earlier can reach this one: the lower bound keeps the (room, starts_at) index scan short
        # instead of reading the room's whole history.
        starts_at__gte=starts_at - timedelta(days=1),
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    return rows.exclude(pk=exclude_booking_id) if exclude_booking_id else rows


def _slot_rules(room: Room, start: datetime, end: datetime) -> list[RuleFailure]:
    failures = []
    step = room.slot_minutes

    def off_step(moment: datetime) -> bool:
        return moment.second or moment.microsecond or (moment.hour * 60 + moment.minute) % step

    if off_step(start) or off_step(end):
        failures.append(
            RuleFailure(
                "slot_step",
                "starts_at" if off_step(start) else "ends_at",
                ngettext(
                    "Bookings start and end on the %(step)d-minute slot (e.g. 10:00, 10:%(step)02d).",
                    "Bookings start and end on the %(step)d-minute slots (e.g. 10:00, 10:%(step)02d).",
                    step,
                )
                % {"step": step}
                if step < 60
                else _("Bookings start and end on the hour slots (e.g. 10:00, 11:00)."),
            )
        )
    minutes = (end - start).total_seconds() / 60
    if minutes < room.min_minutes:
        failures.append(
            RuleFailure(
                "too_short",
                "ends_at",
                _("A booking of this room lasts at least %(minutes)d minutes.")
                % {"minutes": room.min_minutes},
            )
        )
    if minutes > room.max_minutes:
        failures.append(
            RuleFailure(
                "too_long",
                "ends_at",
                _("A booking of this room lasts at most %(minutes)d minutes.")
                % {"minutes": room.max_minutes},
            )
        )
    return failures


def opening_intervals(space_id: int, weekday: int) -> list[OpeningHours]:
    return list(OpeningHours.objects.filter(space_id=space_id, weekday=weekday).order_by("opens"))


def _calendar_rules(room: Room, start: datetime, end: datetime) -> list[RuleFailure]:
    failures = []
    day = start.date()
    intervals = opening_intervals(room.space_id, day.weekday())
    # Opening hours never run past midnight (opens < closes on one day), so neither does a booking.
    inside = end.date() == day and any(
        oh.opens <= start.time() and end.time() <= oh.closes for oh in intervals
    )
    if not inside:
        if intervals:
            hours = ", ".join(f"{oh.opens:%H:%M}–{oh.closes:%H:%M}" for oh in intervals)
            message = _("The space is open %(hours)s on %(day)s: book inside those hours.") % {
                "hours": hours,
                "day": date_format(day, "l"),
            }
        else:
            message = _("The space is closed on %(day)s.") % {"day": date_format(day, "l")}
        failures.append(RuleFailure("outside_hours", "starts_at", message))
    closure = closures_on(room, [day]).first()
    if closure is not None:
        failures.append(
            RuleFailure(
                "closed",
                "starts_at",
                _("The space is closed on %(date)s (%(reason)s).")
                % {
                    "date": date_format(day, "SHORT_DATE_FORMAT"),
                    "reason": closure.note or closure.get_reason_display(),
                },
            )
        )
    return failures


def closures_on(room: Room, days: Iterable[date]):
    days = list(days)
    return Closure.objects.filter(
        Q(room__isnull=True) | Q(room=room),
        space_id=room.space_id,
        starts_on__lte=max(days),
        ends_on__gte=min(days),
    ).order_by("starts_on")


def _window_rules(room: Room, start: datetime, now: datetime) -> list[RuleFailure]:
    failures = []
    if start <= now:
        failures.append(RuleFailure("past", "starts_at", _("This time has already passed.")))
    elif start < now + timedelta(hours=room.min_notice_hours):
        failures.append(
            RuleFailure(
                "too_late",
                "starts_at",
                ngettext(
                    "Book at least %(hours)d hour before the start.",
                    "Book at least %(hours)d hours before the start.",
                    room.min_notice_hours,
                )
                % {"hours": room.min_notice_hours},
            )
        )
    last_day = to_local(now).date() + timedelta(days=room.max_days_ahead)
    if start.date() > last_day:
        failures.append(
            RuleFailure(
                "too_far",
                "starts_at",
                _("This room can be booked up to %(days)d days ahead, until %(date)s.")
                % {"days": room.max_days_ahead, "date": date_format(last_day, "SHORT_DATE_FORMAT")},
            )
        )
    return failures


def _party_rules(room: Room, headcount: int | None, purpose: str) -> list[RuleFailure]:
    failures = []
    if headcount is None or headcount < 1:
        failures.append(
            RuleFailure("headcount", "headcount", _("Say how many people will come (at least 1)."))
        )
    elif headcount > room.capacity:
        failures.append(
            RuleFailure(
                "capacity",
                "headcount",
                _("This room holds at most %(capacity)d people.") % {"capacity": room.capacity},
            )
        )
    if not (purpose or "").strip():
        failures.append(
            RuleFailure("purpose", "purpose", _("Say what the room is for (e.g. a book club meeting)."))
        )
    return failures


def active_suspension(household_id: int, district_id: int, now: datetime) -> Suspension | None:
    return (
        Suspension.objects.filter(
            household_id=household_id,
            district_id=district_id,
            lifted_at__isnull=True,
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .order_by("-ends_at")
        .first()
    )


def _household_rules(
    room: Room,
    household_id: int,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    exclude_booking_id: int | None,
) -> list[RuleFailure]:
    failures = []
    district_id = room.space.district_id
    policy = BookingPolicy.for_district(district_id)
    suspension = active_suspension(household_id, district_id, now)
    if suspension is not None:
        failures.append(
            RuleFailure(
                "suspended",
                "__all__",
                _(
                    "After repeated no-shows you cannot book in this district until %(date)s. "
                    "Contact the space if you think this is a mistake."
                )
                % {"date": date_format(to_local(suspension.ends_at).date(), "SHORT_DATE_FORMAT")},
            )
        )
    mine = Booking.objects.filter(household_id=household_id, district_id=district_id)
    if exclude_booking_id:
        mine = mine.exclude(pk=exclude_booking_id)
    upcoming = mine.filter(status__in=UPCOMING_STATUSES, ends_at__gt=now).count()
    if upcoming >= policy.max_upcoming:
        failures.append(
            RuleFailure(
                "too_many_upcoming",
                "__all__",
                ngettext(
                    "You can hold at most %(limit)d upcoming booking at a time. "
                    "Cancel it or wait until it has passed.",
                    "You can hold at most %(limit)d upcoming bookings at a time. "
                    "Cancel one or wait until one has passed.",
                    policy.max_upcoming,
                )
                % {"limit": policy.max_upcoming},
            )
        )
    monday = week_start(to_local(starts_at).date())
    week_from = local_datetime(monday, datetime.min.time())
    week_to = week_from + timedelta(days=7)
    booked = mine.filter(
        status__in=ACTIVE_STATUSES, starts_at__gte=week_from, starts_at__lt=week_to
    ).values_list("starts_at", "ends_at")
    seconds = (
        sum((end - start).total_seconds() for start, end in booked) + (ends_at - starts_at).total_seconds()
    )
    if seconds > policy.max_hours_per_week * 3600:
        used = sum((end - start).total_seconds() for start, end in booked) / 3600
        failures.append(
            RuleFailure(
                "weekly_hours",
                "ends_at",
                _(
                    "You can book at most %(limit)d hours a week; you already have %(used)s hours in the "
                    "week of %(monday)s."
                )
                % {
                    "limit": policy.max_hours_per_week,
                    "used": f"{used:g}",
                    "monday": date_format(monday, "SHORT_DATE_FORMAT"),
                },
            )
        )
    return failures
