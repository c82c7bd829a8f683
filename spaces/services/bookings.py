"""A booking's life: residents book, cancel and move their own; staff approve or reject, cancel and record
attendance. Every status change goes through `booking_flow` (portal.workflow): the row is locked, the
transition table checked, the audit event "booking.<status>" written in the same transaction and the
resident told on commit.

A household's own limits (upcoming bookings, weekly hours) are checked with its household row locked, so
two tabs cannot both take the last one; the room's time is guarded as spaces.services.locking says.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Household
from households.services import applicant_household
from portal.models import User
from portal.timeutils import to_local
from portal.workflow import Workflow

from ..models import UPCOMING_STATUSES, Booking, BookingStatus, Room
from ..rules import check_booking
from ..signals import booking_rescheduled
from .errors import BookingError
from .locking import lock_room_days, save_once_free
from .suspensions import apply_no_show_rule

B = BookingStatus

# Which status may follow which. Anything else is refused by booking_flow, whoever asks.
TRANSITIONS: dict[str, set[str]] = {
    B.PENDING: {B.CONFIRMED, B.REJECTED, B.CANCELLED},
    B.CONFIRMED: {B.CANCELLED, B.ATTENDED, B.NO_SHOW},
    # Attendance can be corrected (marked no-show by mistake, and the other way round).
    B.ATTENDED: {B.NO_SHOW},
    B.NO_SHOW: {B.ATTENDED},
    B.REJECTED: set(),
    B.CANCELLED: set(),
}

booking_flow = Workflow(
    model=Booking,
    transitions=TRANSITIONS,
    action="booking",
    notify_key="booking",
    error=BookingError,
    refused=gettext_lazy("This booking is %(status)s: it cannot be changed that way."),
    # What the audit event and the message read: the place, and the resident to tell.
    lock_related=("room__space", "household__user"),
    subject_user_id=lambda booking: booking.household.user_id if booking.household_id else None,
    district=lambda booking: booking.district,
)


def booking_when(booking: Booking) -> str:
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def message_context(booking: Booking, *, reason: str) -> dict[str, Any]:
    """What a message about the booking says: the place, the reference, the time and a link."""
    room = booking.room
    space = room.space
    return {
        "place": f"{space.name} {room.name}",
        "place_en": f"{space.name_en or space.name} {room.name_en or room.name}",
        "reference": booking.reference,
        "when": booking_when(booking),
        "reason": reason,
        "link": f"{settings.SITE_URL}/spaces/bookings/{booking.pk}/",
    }


def tell_household(booking: Booking, template: str) -> None:
    """Tell the household about the booking's latest audit event; a staff booking has nobody to tell."""
    if booking.household_id is None:
        return
    booking_flow.notify(
        booking,
        template,
        user=booking.household.user,
        context=message_context(booking, reason=booking.reason),
    )


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
        lock_room_days(room.pk, [to_local(starts_at).date()])
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
        booking = save_once_free(
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
        booking_flow.record(
            booking, "booking.created", actor=user, request=request, room=room.pk, status=booking.status
        )
        tell_household(booking, "booking.pending" if booking.status == B.PENDING else "booking.confirmed")
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
        booking = booking_flow.lock(booking_id)
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
        booking_flow.move(booking, B.CANCELLED, actor=user, request=request, cancelled_at=timezone.now())
        tell_household(booking, "booking.cancelled")
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
        booking = booking_flow.lock(booking_id)
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
        lock_room_days(booking.room_id, [to_local(starts_at).date()])
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
        save_once_free(booking)
        booking_flow.record(
            booking,
            "booking.rescheduled",
            actor=actor,
            request=request,
            **{
                "from": previous,
                "to": (starts_at.isoformat(), ends_at.isoformat()),
                "status": (previous_status, booking.status),
            },
        )
        tell_household(booking, "booking.rescheduled")
        booking_rescheduled.send(sender=Booking, booking=booking)  # e.g. a program session held in it
    return booking


# --- staff -------------------------------------------------------------------------------------------


def booking_decide(
    *, actor: User, booking_id: int, approve: bool, reason: str = "", request: HttpRequest | None = None
) -> Booking:
    """Approve or reject a pending booking (a reason is required to reject)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        booking = booking_flow.lock(booking_id)
        if approve:
            if booking.starts_at <= timezone.now():
                raise BookingError(
                    "too_late", _("This booking's time has passed: it can no longer be approved.")
                )
            booking_flow.move(
                booking,
                B.CONFIRMED,
                actor=actor,
                request=request,
                decided_at=timezone.now(),
                decided_by=actor,
            )
            tell_household(booking, "booking.approved")
        else:
            if not reason:
                raise BookingError("reason_required", _("Give the resident a reason for the refusal."))
            booking_flow.move(
                booking,
                B.REJECTED,
                actor=actor,
                request=request,
                decided_at=timezone.now(),
                decided_by=actor,
                reason=reason,
            )
            tell_household(booking, "booking.rejected")
    return booking


def booking_staff_cancel(
    *, actor: User, booking_id: int, reason: str, request: HttpRequest | None = None
) -> Booking:
    """Staff cancel a booking (one occurrence of a series, or a resident's, e.g. an emergency closure)."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingError("reason_required", _("Say why the booking is cancelled: the resident is told."))
    with transaction.atomic():
        booking = booking_flow.lock(booking_id)
        if booking.ends_at <= timezone.now():
            raise BookingError("too_late", _("This booking is over: record attendance instead."))
        booking_flow.move(
            booking, B.CANCELLED, actor=actor, request=request, cancelled_at=timezone.now(), reason=reason
        )
        tell_household(booking, "booking.cancelled_by_staff")
    return booking


def booking_mark_attendance(
    *, actor: User, booking_id: int, attended: bool, request: HttpRequest | None = None
) -> Booking:
    """Record whether the household came. A no-show may start a booking ban (see apply_no_show_rule)."""
    with transaction.atomic():
        booking = booking_flow.lock(booking_id)
        if booking.starts_at > timezone.now():
            raise BookingError("too_early", _("Attendance can be recorded once the booking has started."))
        if booking.household_id is None:
            raise BookingError(
                "staff_booking", _("This is a staff booking: record participants on its program session.")
            )
        Household.objects.select_for_update().filter(pk=booking.household_id).first()
        to = B.ATTENDED if attended else B.NO_SHOW
        booking_flow.move(booking, to, actor=actor, request=request, attendance_marked_at=timezone.now())
        if to == B.NO_SHOW:
            apply_no_show_rule(booking, actor=actor, request=request)
    return booking
