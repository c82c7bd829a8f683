"""Staff booking series for regular programs: the same weekday(s) and hours every week, booked all or
nothing. A series may name a program: spaces announces the new bookings (signals.series_booked) in the
same transaction, and the programs app makes them the program's sessions."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.audit import audit_log
from portal.models import User
from portal.timeutils import local_datetime, local_today

from ..models import UPCOMING_STATUSES, Booking, BookingSeries, BookingStatus, Room
from ..rules import RuleFailure, check_booking, closures_on, opening_intervals, overlapping
from ..signals import series_booked
from .errors import BookingError, SeriesConflict, SeriesError
from .locking import is_deadlock, is_overlap, lock_room_days

B = BookingStatus
MAX_SERIES_DAYS = 366


def series_dates(weekdays: list[int], starts_on: date, ends_on: date) -> list[date]:
    days = []
    day = starts_on
    while day <= ends_on:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def series_conflicts(room: Room, days: list[date], start_time: time, end_time: time) -> list[SeriesConflict]:
    """Every date on which the series cannot be booked, and why (closed, outside hours, taken)."""
    conflicts: list[SeriesConflict] = []
    if not days:
        return conflicts
    closures = list(closures_on(room, days))
    hours_by_weekday = {
        weekday: opening_intervals(room.space_id, weekday) for weekday in {d.weekday() for d in days}
    }
    first = local_datetime(days[0], start_time)
    last = local_datetime(days[-1], end_time)
    taken = list(overlapping(room.pk, first, last).values_list("starts_at", "ends_at"))
    now = timezone.now()
    for day in days:
        starts_at, ends_at = local_datetime(day, start_time), local_datetime(day, end_time)
        if starts_at <= now:
            conflicts.append(SeriesConflict(day, "past", _("already passed")))
            continue
        closure = next((c for c in closures if c.starts_on <= day <= c.ends_on), None)
        if closure is not None:
            conflicts.append(SeriesConflict(day, "closed", closure.note or closure.get_reason_display()))
            continue
        if not any(
            oh.opens <= start_time and end_time <= oh.closes for oh in hours_by_weekday[day.weekday()]
        ):
            conflicts.append(SeriesConflict(day, "outside_hours", _("outside opening hours")))
            continue
        if any(s < ends_at and e > starts_at for s, e in taken):
            conflicts.append(SeriesConflict(day, "taken", _("already booked")))
    return conflicts


def series_create(
    *,
    actor: User,
    room_id: int,
    title: str,
    weekdays: list[int],
    start_time: time,
    end_time: time,
    starts_on: date,
    ends_on: date,
    headcount: int = 1,
    program_id: int | None = None,
    request: HttpRequest | None = None,
) -> BookingSeries:
    """Book the room every chosen weekday from starts_on to ends_on, all or nothing.

    When any date cannot be booked, nothing is created and SeriesError lists every such date. Once the
    bookings exist, series_booked is sent in the same transaction.
    """
    title = (title or "").strip()
    problems = []
    if not title:
        problems.append(RuleFailure("title", "title", _("Give the series a title.")))
    if not weekdays or any(day not in range(7) for day in weekdays):
        problems.append(RuleFailure("weekdays", "weekdays", _("Choose at least one weekday.")))
    if start_time >= end_time:
        problems.append(RuleFailure("invalid_range", "end_time", _("The end must be after the start.")))
    if ends_on < starts_on:
        problems.append(
            RuleFailure("invalid_range", "ends_on", _("The last date cannot be before the first."))
        )
    elif (ends_on - starts_on).days > MAX_SERIES_DAYS:
        problems.append(RuleFailure("too_long", "ends_on", _("A series can run for at most a year.")))
    if starts_on < local_today():
        problems.append(RuleFailure("past", "starts_on", _("The first date has already passed.")))
    if problems:
        raise SeriesError.of(problems)
    with transaction.atomic():
        room = Room.objects.select_related("space").select_for_update(of=("self",)).get(pk=room_id)
        days = series_dates(sorted(set(weekdays)), starts_on, ends_on)
        if not days:
            raise SeriesError.of(
                [RuleFailure("no_dates", "weekdays", _("No chosen weekday falls in these dates."))]
            )
        # Slot step, minimum length and capacity, judged once on the first date (every date has the same
        # hours). Staff series may run longer than residents' maximum (a cooking class takes 4 hours).
        sample = check_booking(
            room=room,
            starts_at=local_datetime(days[0], start_time),
            ends_at=local_datetime(days[0], end_time),
            headcount=headcount,
            purpose=title,
            household_id=None,
        )
        rule_failures = [f for f in sample if f.code not in {"outside_hours", "closed", "taken", "too_long"}]
        if rule_failures:
            raise SeriesError.of(rule_failures)
        lock_room_days(room.pk, days)
        conflicts = series_conflicts(room, days, start_time, end_time)
        if conflicts:
            raise _conflict_error(conflicts)
        series = BookingSeries(
            room=room,
            title=title,
            program_id=program_id,
            weekdays=sorted(set(weekdays)),
            start_time=start_time,
            end_time=end_time,
            starts_on=starts_on,
            ends_on=ends_on,
            headcount=headcount,
            created_by=actor,
        )
        series._history_user = actor
        series.save()
        for attempt in range(3):
            bookings = []
            try:
                with transaction.atomic():
                    for day in days:
                        bookings.append(
                            Booking.objects.create(
                                room=room,
                                district_id=room.space.district_id,
                                booked_by=actor,
                                series=series,
                                starts_at=local_datetime(day, start_time),
                                ends_at=local_datetime(day, end_time),
                                headcount=headcount,
                                purpose=title,
                                status=B.CONFIRMED,
                            )
                        )
                break
            except IntegrityError as error:
                if not is_overlap(error):
                    raise
                # Someone booked one of the dates between the check and the insert. The savepoint above
                # undid this series' inserts; report every conflicting date (raising rolls back the series).
                raise _conflict_error(series_conflicts(room, days, start_time, end_time)) from error
            except OperationalError as error:
                # Overlapping writers waiting on each other (see save_once_free): try again, now waiting.
                if not is_deadlock(error) or attempt == 2:
                    raise
        # The apps above spaces answer in this transaction (programs: a session per booking of a series
        # linked to a program), so the series and what they made of it commit or roll back together.
        series_booked.send(sender=BookingSeries, series=series, bookings=bookings)
        audit_log(
            actor=actor,
            action="booking_series.created",
            target=series,
            district=room.space.district,
            request=request,
            data={"occurrences": len(bookings)},
        )
    series.occurrence_count = len(bookings)
    return series


def _conflict_error(conflicts: list[SeriesConflict]) -> SeriesError:
    listed = "; ".join(f"{date_format(c.day, 'SHORT_DATE_FORMAT')} ({c.message})" for c in conflicts)
    message = ngettext(
        "Nothing was booked: %(count)d date cannot be booked: %(dates)s",
        "Nothing was booked: %(count)d dates cannot be booked: %(dates)s",
        len(conflicts),
    ) % {
        "count": len(conflicts),
        "dates": listed,
    }
    return SeriesError(
        "conflicts", message, failures=[RuleFailure("conflicts", "__all__", message)], conflicts=conflicts
    )


def series_cancel(*, actor: User, series_id: int, reason: str, request: HttpRequest | None = None) -> int:
    """Cancel every occurrence that has not started yet; past ones stay as the record. Returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingError("reason_required", _("Say why the series is cancelled."))
    with transaction.atomic():
        series = BookingSeries.objects.select_for_update().select_related("room__space").get(pk=series_id)
        if series.cancelled_at is not None:
            raise BookingError("invalid_transition", _("This series is already cancelled."))
        now = timezone.now()
        # One by one rather than update(): each occurrence gets its history record. A series has at most
        # a year of weekly dates, and the linked program sessions then show as cancelled.
        upcoming = Booking.objects.select_for_update().filter(
            series=series, status__in=UPCOMING_STATUSES, starts_at__gt=now
        )
        cancelled = 0
        for booking in upcoming:
            booking.status, booking.cancelled_at, booking.reason = B.CANCELLED, now, reason
            booking._history_user = actor
            booking.save(update_fields=["status", "cancelled_at", "reason"])
            cancelled += 1
        series.cancelled_at = now
        series._history_user = actor
        series.save(update_fields=["cancelled_at"])
        audit_log(
            actor=actor,
            action="booking_series.cancelled",
            target=series,
            district=series.room.space.district,
            request=request,
            data={"cancelled": cancelled, "reason": reason},
        )
    return cancelled
