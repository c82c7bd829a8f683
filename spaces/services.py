"""Bookings, staff booking series, attendance and no-show suspensions: every state change of the spaces
app, whoever asks for it (resident pages, the admin, the API, Celery).

Each change is one transaction: it locks the row it changes, checks the transition table, writes the
audit event and queues the resident's notification on commit (the outbox).

Never double-booked: a new booking is checked against the room's active bookings and inserted in the
same transaction. On PostgreSQL the exclusion constraint is the real guarantee: of two simultaneous
inserts for one slot the second waits for the first and then fails with an exclusion violation, which
becomes the same "already taken" refusal as the Python check; writers of one room and Seoul day take
turns on an advisory lock first (_lock_room_days), so they never deadlock on the constraint. On SQLite,
transactions begin IMMEDIATE (settings), so check-and-insert runs one writer at a time. A household's own
limits (upcoming bookings, weekly hours) are checked with its household row locked, so two tabs cannot
both take the last one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from households.models import Household
from portal.audit import audit_log
from portal.models import User
from portal.notifications import notify
from programs.services.applications import ApplicationError, applicant_household

from .models import (
    ACTIVE_STATUSES,
    UPCOMING_STATUSES,
    Booking,
    BookingPolicy,
    BookingSeries,
    BookingStatus,
    CalendarFeed,
    Room,
    Suspension,
)
from .rules import (
    RuleFailure,
    check_booking,
    closures_on,
    local_datetime,
    opening_intervals,
    overlapping,
    taken_failure,
    to_local,
)

B = BookingStatus

# Which status may follow which. Anything else is refused by _move, whoever asks.
TRANSITIONS: dict[str, set[str]] = {
    B.PENDING: {B.CONFIRMED, B.REJECTED, B.CANCELLED},
    B.CONFIRMED: {B.CANCELLED, B.ATTENDED, B.NO_SHOW},
    # Attendance can be corrected (marked no-show by mistake, and the other way round).
    B.ATTENDED: {B.NO_SHOW},
    B.NO_SHOW: {B.ATTENDED},
    B.REJECTED: set(),
    B.CANCELLED: set(),
}
MAX_SERIES_DAYS = 366


@dataclass
class BookingError(ApplicationError):
    """A refusal the user can act on. `failures` lists every rule that failed, each with its field, so a
    form can show each message next to its field and the API can return them under `fields`."""

    failures: list[RuleFailure] = field(default_factory=list)

    @classmethod
    def of(cls, failures: list[RuleFailure]) -> BookingError:
        return cls(failures[0].code, " ".join(f.message for f in failures), failures=failures)

    def by_field(self) -> dict[str, list[str]]:
        fields: dict[str, list[str]] = {}
        for failure in self.failures:
            fields.setdefault(failure.field, []).append(failure.message)
        return fields


def _is_overlap(error: IntegrityError) -> bool:
    """An exclusion-constraint violation (SQLSTATE 23P01) on PostgreSQL."""
    return getattr(error.__cause__, "sqlstate", None) == "23P01"


def _when(booking: Booking) -> str:
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _notify(booking: Booking, template: str, event: Any) -> None:
    if booking.household_id is None:
        return  # a staff booking: nobody to tell
    room = booking.room
    space = room.space
    notify(
        user=booking.household.user,
        template=template,
        event_key=f"booking:{booking.pk}:{template}:{event.pk}",
        context={
            "place": f"{space.name} {room.name}",
            "place_en": f"{space.name_en or space.name} {room.name_en or room.name}",
            "reference": booking.reference,
            "when": _when(booking),
            "reason": booking.reason,
            "link": f"{settings.SITE_URL}/spaces/bookings/{booking.pk}/",
        },
    )


def _locked(booking_id: int) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("room__space", "household__user")
        .get(pk=booking_id)
    )


def _move(
    booking: Booking, to: str, *, actor: User | None, request: HttpRequest | None = None, **fields: Any
) -> Booking:
    if to not in TRANSITIONS[booking.status]:
        raise BookingError(
            "invalid_transition",
            _("This booking is %(status)s: it cannot be changed that way.")
            % {"status": booking.get_status_display()},
        )
    previous = booking.status
    booking.status = to
    for name, value in fields.items():
        setattr(booking, name, value)
    booking._history_user = actor
    booking.save()
    booking._event = audit_log(
        actor=actor,
        action=f"booking.{to}",
        target=booking,
        subject_user_id=booking.household.user_id if booking.household_id else None,
        district=booking.district,
        request=request,
        data={"from": previous, "to": to},
    )
    return booking


def _is_deadlock(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


def _save_once_free(booking: Booking, **save_kwargs: Any) -> Booking:
    """Save (insert or move) a booking, turning PostgreSQL's no-overlap refusal into the "already taken"
    answer.

    Two transactions writing overlapping ranges at once can each wait for the other on the exclusion
    constraint; PostgreSQL breaks that tie by aborting one with a deadlock error. Its savepoint is rolled
    back and the write tried again: it now waits for the other transaction, and then fails as taken (the
    other committed) or goes through (the other rolled back).
    """
    for attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction stays usable
                booking.save(**save_kwargs)
            return booking
        except IntegrityError as error:
            if _is_overlap(error):
                raise BookingError.of([taken_failure()]) from error
            raise
        except OperationalError as error:
            if not _is_deadlock(error) or attempt == 2:
                raise
    return booking  # not reached: the last attempt returns or raises


def _insert(booking: Booking) -> Booking:
    return _save_once_free(booking)


def _lock_room_days(room_id: int, days: list[date]) -> None:
    """PostgreSQL: take the room's lock for each local day, in date order, until the transaction ends.

    Two bookings can only overlap on the same room and Seoul day (none runs past midnight), so writers of
    one room-day take turns: the second checks after the first has committed and is refused cleanly,
    instead of both reaching the exclusion constraint together, where they can deadlock. Other days and
    rooms are not held up. On SQLite the IMMEDIATE transaction already makes writers take turns.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for day in sorted(set(days)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [room_id, day.toordinal()])


# --- residents ---------------------------------------------------------------------------------------


def booking_create(
    *,
    user: User,
    room_id: int,
    starts_at: datetime,
    ends_at: datetime,
    headcount: int | None,
    purpose: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Booking:
    """A resident books a room: confirmed at once, or pending when the room needs staff approval."""
    now = now or timezone.now()
    household = applicant_household(user)
    with transaction.atomic():
        # Serializes this household's bookings, so its limits cannot be passed by two requests at once.
        Household.objects.select_for_update().filter(pk=household.pk).first()
        room = Room.objects.select_related("space").get(pk=room_id)
        _lock_room_days(room.pk, [to_local(starts_at).date()])
        failures = check_booking(
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            headcount=headcount,
            purpose=purpose,
            household_id=household.pk,
            now=now,
        )
        if failures:
            raise BookingError.of(failures)
        booking = _insert(
            Booking(
                room=room,
                district_id=room.space.district_id,
                household=household,
                booked_by=user,
                starts_at=starts_at,
                ends_at=ends_at,
                headcount=headcount,
                purpose=purpose.strip(),
                status=B.PENDING if room.requires_approval else B.CONFIRMED,
            )
        )
        booking.household = household
        event = audit_log(
            actor=user,
            action="booking.created",
            target=booking,
            subject_user_id=user.pk,
            district=room.space.district,
            request=request,
            data={"room": room.pk, "status": booking.status},
        )
        _notify(booking, "booking.pending" if booking.status == B.PENDING else "booking.confirmed", event)
    return booking


def resident_can_change(booking: Booking, now: datetime | None = None) -> bool:
    """Whether the resident may still cancel or move it: pending until it starts, confirmed until the
    room's cancellation deadline."""
    now = now or timezone.now()
    if booking.status == B.PENDING:
        return now < booking.starts_at
    if booking.status == B.CONFIRMED:
        return now <= booking.starts_at - timedelta(hours=booking.room.cancel_deadline_hours)
    return False


def cancel_deadline(booking: Booking) -> datetime:
    return booking.starts_at - timedelta(hours=booking.room.cancel_deadline_hours)


def booking_cancel(
    *, user: User, booking_id: int, request: HttpRequest | None = None, now: datetime | None = None
) -> Booking:
    """The resident cancels their own booking, before the room's cancellation deadline."""
    with transaction.atomic():
        booking = _locked(booking_id)
        if booking.household is None or booking.household.user_id != user.pk:
            raise Booking.DoesNotExist
        if booking.status in UPCOMING_STATUSES and not resident_can_change(booking, now):
            raise BookingError(
                "cancel_deadline",
                _(
                    "Bookings of this room can be cancelled until %(hours)d hours before the start. "
                    "Please call the space."
                )
                % {"hours": booking.room.cancel_deadline_hours},
            )
        _move(booking, B.CANCELLED, actor=user, request=request, cancelled_at=timezone.now())
        _notify(booking, "booking.cancelled", booking._event)
    return booking


def booking_reschedule(
    *,
    actor: User,
    booking_id: int,
    starts_at: datetime,
    ends_at: datetime,
    as_staff: bool = False,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Booking:
    """Move a booking to another time in the same room. Its own current slot never counts as taken.

    A resident moves their own booking until the cancellation deadline (the household limits apply);
    staff of the district (`as_staff`, said by the staff-side caller, never inferred from the account:
    a staff member booking for their own household is a resident there) move any upcoming one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking_id)
        by_resident = not as_staff
        if by_resident:
            if booking.household is None or booking.household.user_id != actor.pk:
                raise Booking.DoesNotExist
            Household.objects.select_for_update().filter(pk=booking.household_id).first()
            if booking.status not in UPCOMING_STATUSES:
                raise BookingError(
                    "invalid_transition",
                    _("This booking is %(status)s: it cannot be moved.")
                    % {"status": booking.get_status_display()},
                )
            if not resident_can_change(booking, now):
                raise BookingError(
                    "cancel_deadline",
                    _("This booking can no longer be changed online. Please call the space."),
                )
        elif booking.status not in UPCOMING_STATUSES:
            raise BookingError(
                "invalid_transition",
                _("This booking is %(status)s: it cannot be moved.")
                % {"status": booking.get_status_display()},
            )
        elif starts_at <= now:
            raise BookingError("past", _("This time has already passed."))
        _lock_room_days(booking.room_id, [to_local(starts_at).date()])
        failures = check_booking(
            room=booking.room,
            starts_at=starts_at,
            ends_at=ends_at,
            headcount=booking.headcount,
            purpose=booking.purpose,
            household_id=booking.household_id if by_resident else None,
            exclude_booking_id=booking.pk,
            now=now,
        )
        if failures:
            raise BookingError.of(failures)
        previous = (booking.starts_at.isoformat(), booking.ends_at.isoformat())
        booking.starts_at, booking.ends_at = starts_at, ends_at
        previous_status = booking.status
        if by_resident and booking.room.requires_approval and booking.status == B.CONFIRMED:
            # A new time needs a new approval: the old decision was about the old time.
            booking.status, booking.decided_at, booking.decided_by = B.PENDING, None, None
        booking.reminder_sent_at = None
        booking._history_user = actor
        _save_once_free(booking)
        event = audit_log(
            actor=actor,
            action="booking.rescheduled",
            target=booking,
            subject_user_id=booking.household.user_id if booking.household_id else None,
            district=booking.district,
            request=request,
            data={
                "from": previous,
                "to": (starts_at.isoformat(), ends_at.isoformat()),
                "status": (previous_status, booking.status),
            },
        )
        _notify(booking, "booking.rescheduled", event)
        if hasattr(booking, "program_session"):
            session = booking.program_session
            session.save()  # copies the new time
    return booking


# --- staff -------------------------------------------------------------------------------------------


def booking_decide(
    *, actor: User, booking_id: int, approve: bool, reason: str = "", request: HttpRequest | None = None
) -> Booking:
    """Approve or reject a pending booking (a reason is required to reject)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        booking = _locked(booking_id)
        if approve:
            if booking.starts_at <= timezone.now():
                raise BookingError(
                    "too_late", _("This booking's time has passed: it can no longer be approved.")
                )
            _move(
                booking,
                B.CONFIRMED,
                actor=actor,
                request=request,
                decided_at=timezone.now(),
                decided_by=actor,
            )
            _notify(booking, "booking.approved", booking._event)
        else:
            if not reason:
                raise BookingError("reason_required", _("Give the resident a reason for the refusal."))
            _move(
                booking,
                B.REJECTED,
                actor=actor,
                request=request,
                decided_at=timezone.now(),
                decided_by=actor,
                reason=reason,
            )
            _notify(booking, "booking.rejected", booking._event)
    return booking


def booking_staff_cancel(
    *, actor: User, booking_id: int, reason: str, request: HttpRequest | None = None
) -> Booking:
    """Staff cancel a booking (one occurrence of a series, or a resident's, e.g. an emergency closure)."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingError("reason_required", _("Say why the booking is cancelled: the resident is told."))
    with transaction.atomic():
        booking = _locked(booking_id)
        if booking.ends_at <= timezone.now():
            raise BookingError("too_late", _("This booking is over: record attendance instead."))
        _move(booking, B.CANCELLED, actor=actor, request=request, cancelled_at=timezone.now(), reason=reason)
        _notify(booking, "booking.cancelled_by_staff", booking._event)
    return booking


def booking_mark_attendance(
    *, actor: User, booking_id: int, attended: bool, request: HttpRequest | None = None
) -> Booking:
    """Record whether the household came. A no-show may start a booking ban (see _apply_no_show_rule)."""
    with transaction.atomic():
        booking = _locked(booking_id)
        if booking.starts_at > timezone.now():
            raise BookingError("too_early", _("Attendance can be recorded once the booking has started."))
        if booking.household_id is None:
            raise BookingError(
                "staff_booking", _("This is a staff booking: record participants on its program session.")
            )
        Household.objects.select_for_update().filter(pk=booking.household_id).first()
        to = B.ATTENDED if attended else B.NO_SHOW
        _move(booking, to, actor=actor, request=request, attendance_marked_at=timezone.now())
        if to == B.NO_SHOW:
            _apply_no_show_rule(booking, actor=actor, request=request)
    return booking


def _apply_no_show_rule(booking: Booking, *, actor: User, request: HttpRequest | None) -> Suspension | None:
    """Ban the household after `no_show_limit` no-shows within the window. No-shows before its last ban
    began do not count again: each ban needs a fresh run of no-shows."""
    policy = BookingPolicy.for_district(booking.district_id)
    now = timezone.now()
    if Suspension.objects.filter(
        household_id=booking.household_id,
        district_id=booking.district_id,
        lifted_at__isnull=True,
        ends_at__gt=now,
    ).exists():
        return None
    since = now - timedelta(days=policy.no_show_window_days)
    last_ban = (
        Suspension.objects.filter(household_id=booking.household_id, district_id=booking.district_id)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    counted = Booking.objects.filter(
        household_id=booking.household_id,
        district_id=booking.district_id,
        status=B.NO_SHOW,
        starts_at__gte=since,
    )
    if last_ban is not None:
        counted = counted.filter(attendance_marked_at__gt=last_ban)
    if counted.count() < policy.no_show_limit:
        return None
    suspension = Suspension.objects.create(
        household_id=booking.household_id,
        district_id=booking.district_id,
        starts_at=now,
        ends_at=now + timedelta(days=policy.ban_days),
        reason=_("%(count)d no-shows within %(days)d days")
        % {"count": policy.no_show_limit, "days": policy.no_show_window_days},
    )
    event = audit_log(
        actor=actor,
        action="booking.suspended",
        target=suspension,
        subject_user_id=booking.household.user_id,
        district=booking.district,
        request=request,
        data={"until": suspension.ends_at.isoformat()},
    )
    notify(
        user=booking.household.user,
        template="booking.suspended",
        event_key=f"suspension:{suspension.pk}:created:{event.pk}",
        context={
            "until": f"{to_local(suspension.ends_at):%Y-%m-%d}",
            "count": policy.no_show_limit,
            "link": f"{settings.SITE_URL}/spaces/bookings/",
        },
    )
    return suspension


def suspension_lift(*, actor: User, suspension_id: int, request: HttpRequest | None = None) -> Suspension:
    """The staff override: the household may book again at once."""
    with transaction.atomic():
        suspension = (
            Suspension.objects.select_for_update(of=("self",))
            .select_related("household__user")
            .get(pk=suspension_id)
        )
        if suspension.lifted_at is not None:
            return suspension
        suspension.lifted_at = timezone.now()
        suspension.lifted_by = actor
        suspension._history_user = actor
        suspension.save(update_fields=["lifted_at", "lifted_by"])
        event = audit_log(
            actor=actor,
            action="booking.suspension_lifted",
            target=suspension,
            subject_user_id=suspension.household.user_id,
            district=suspension.district,
            request=request,
        )
        notify(
            user=suspension.household.user,
            template="booking.suspension_lifted",
            event_key=f"suspension:{suspension.pk}:lifted:{event.pk}",
            context={"link": f"{settings.SITE_URL}/spaces/"},
        )
    return suspension


# --- staff series for regular programs ----------------------------------------------------------------


@dataclass(frozen=True)
class SeriesConflict:
    day: date
    code: str
    message: str


@dataclass
class SeriesError(BookingError):
    conflicts: list[SeriesConflict] = field(default_factory=list)


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

    When any date cannot be booked, nothing is created and SeriesError lists every such date.
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
    if starts_on < to_local(timezone.now()).date():
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
        _lock_room_days(room.pk, days)
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
                if not _is_overlap(error):
                    raise
                # Someone booked one of the dates between the check and the insert. The savepoint above
                # undid this series' inserts; report every conflicting date (raising rolls back the series).
                raise _conflict_error(series_conflicts(room, days, start_time, end_time)) from error
            except OperationalError as error:
                # Overlapping writers waiting on each other (see _save_once_free): try again, now waiting.
                if not _is_deadlock(error) or attempt == 2:
                    raise
        if program_id:
            from programs.models import ProgramSession

            ProgramSession.objects.bulk_create(
                ProgramSession(program_id=program_id, booking=b, starts_at=b.starts_at, ends_at=b.ends_at)
                for b in bookings
            )
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


# --- reminders and the calendar feed ------------------------------------------------------------------


def bookings_send_reminders(*, now: datetime | None = None) -> int:
    """Remind every confirmed booking that starts tomorrow (Seoul date). Idempotent: the notification's
    event key and reminder_sent_at both say it was sent."""
    now = now or timezone.now()
    tomorrow = to_local(now).date() + timedelta(days=1)
    day_from = local_datetime(tomorrow, time.min)
    due = (
        Booking.objects.filter(
            status=B.CONFIRMED,
            household__isnull=False,
            reminder_sent_at__isnull=True,
            starts_at__gte=day_from,
            starts_at__lt=day_from + timedelta(days=1),
        )
        .select_related("room__space", "household__user")
        .order_by("pk")
    )
    sent = 0
    for booking in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            notify(
                user=booking.household.user,
                template="booking.reminder",
                event_key=f"booking:{booking.pk}:reminder:{booking.starts_at.isoformat()}",
                context={
                    "place": f"{booking.room.space.name} {booking.room.name}",
                    "place_en": f"{booking.room.space.name_en or booking.room.space.name} "
                    f"{booking.room.name_en or booking.room.name}",
                    "reference": booking.reference,
                    "when": _when(booking),
                    "reason": "",
                    "link": f"{settings.SITE_URL}/spaces/bookings/{booking.pk}/",
                },
            )
            sent += 1
    return sent


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, user: User) -> str:
    """A new private feed address for the user; any earlier one stops working. Returns the token (shown
    once: only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=_token_hash(token))
        audit_log(actor=user, action="calendar_feed.created", subject_user_id=user.pk)
    return token


def calendar_feed_revoke(*, user: User) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit_log(actor=user, action="calendar_feed.revoked", subject_user_id=user.pk)
    return bool(deleted)


def calendar_feed_user(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


__all__ = [
    "ACTIVE_STATUSES",
    "BookingError",
    "SeriesError",
    "booking_cancel",
    "booking_create",
    "booking_decide",
    "booking_mark_attendance",
    "booking_reschedule",
    "booking_staff_cancel",
    "bookings_send_reminders",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "series_cancel",
    "series_create",
    "suspension_lift",
]


# --- when a resident's account is deleted --------------------------------------------------------------


def bookings_release_for_deleted_account(*, user: User, household, now: datetime, request=None) -> int:
    """Rooms booked by an account that no longer exists would stand empty: cancel its upcoming bookings,
    each through the workflow (audit event, history), and revoke its calendar feeds. Nobody is told:
    the account is gone."""
    released = 0
    if household is not None:
        upcoming = Booking.objects.filter(
            household=household, status__in=UPCOMING_STATUSES, starts_at__gt=now
        )
        for booking_id in upcoming.order_by("pk").values_list("pk", flat=True):
            booking = _locked(booking_id)
            _move(
                booking, B.CANCELLED, actor=user, request=request, cancelled_at=now, reason="account deleted"
            )
            released += 1
    CalendarFeed.objects.filter(user=user).delete()
    return released


def bookings_for_data_export(*, household) -> dict[str, Any]:
    """The bookings section of a resident's data download (PIPA art. 35)."""
    if household is None:
        return {}
    return {
        "bookings": [
            {
                "reference": b.reference,
                "space": b.room.space.name,
                "room": b.room.name,
                "starts_at": b.starts_at.isoformat(),
                "ends_at": b.ends_at.isoformat(),
                "headcount": b.headcount,
                "purpose": b.purpose,
                "status": b.status,
            }
            for b in Booking.objects.filter(household=household)
            .select_related("room__space")
            .order_by("starts_at")
        ]
    }
