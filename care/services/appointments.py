"""A counselling appointment's life: a resident books a free slot (intake, crisis check), cancels or
moves it before the service's deadline; counsellors mark attendance (no-shows counted like rooms':
repeated ones ban booking counselling, see bans.py).
A room session holds its room through a spaces staff booking (check_booking with no household, the
room-day lock and save_once_free), so the room never double-books; PostgreSQL's exclusion constraint
is the final word. Every change is audited in its transaction and the resident told on commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.services import applicant_household
from portal.models import Notification, User
from portal.notifications import notify, notify_address
from portal.timeutils import to_local
from portal.workflow import Workflow

from ..models import Appointment, AppointmentMode, AppointmentStatus, CounsellingService, Counsellor
from ..models.counselling import PreferredContact, Urgency
from .bans import apply_no_show_rule, refuse_if_banned
from .crisis import signals_crisis
from .errors import CareError
from .slots import free_slots

A = AppointmentStatus
TRANSITIONS = {
    A.BOOKED: {A.CANCELLED, A.ATTENDED, A.NO_SHOW},
    A.ATTENDED: {A.NO_SHOW},
    A.NO_SHOW: {A.ATTENDED},
    A.CANCELLED: set(),
}

appointment_flow = Workflow(
    model=Appointment,
    transitions=TRANSITIONS,
    action="care.appointment",
    notify_key="care.appointment",
    error=CareError,
    refused=gettext_lazy("This appointment is %(status)s: it cannot be changed that way."),
    lock_related=("service", "counsellor__user", "household__user"),
    subject_user_id=lambda a: a.household.user_id,
    district=lambda a: a.district,
    audit_data=lambda a: {"reference": a.reference},
)


def where(appointment: Appointment) -> str:
    if appointment.mode == AppointmentMode.ROOM and appointment.booking_id:
        room = appointment.booking.room
        return f"{room.space.display_name} {room.display_name}"
    return str(AppointmentMode(appointment.mode).label)


def message_context(appointment: Appointment) -> dict[str, Any]:
    start = to_local(appointment.starts_at)
    return {
        "reference": appointment.reference,
        "service": appointment.service.name,
        "service_en": appointment.service.name_en,
        "when": f"{start:%Y-%m-%d %H:%M}",
        "where": where(appointment),
        "link": f"{settings.SITE_URL}/care/appointments/{appointment.pk}/",
    }


def _tell(appointment: Appointment, template: str) -> None:
    appointment_flow.notify(
        appointment, template, user=appointment.household.user, context=message_context(appointment)
    )


def _hold_room(*, counsellor: Counsellor, starts_at: datetime, ends_at: datetime, now: datetime):
    """A staff booking of the counsellor's room (no household: the resident is not named in spaces)."""
    from spaces.models import Booking, BookingStatus, Room
    from spaces.rules import check_booking
    from spaces.services.errors import BookingError
    from spaces.services.locking import lock_room_days, save_once_free

    room = Room.objects.select_related("space").get(pk=counsellor.room_id)
    lock_room_days(room.pk, [to_local(starts_at).date()])
    purpose = str(_("Counselling"))
    failures = check_booking(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        headcount=1,
        purpose=purpose,
        household_id=None,
        now=now,
    )
    if failures:
        raise CareError(
            "taken", _("The counselling room is not free then. Choose another time."), "starts_at"
        )
    try:
        return save_once_free(
            Booking(
                room=room,
                district_id=room.space.district_id,
                booked_by=counsellor.user,
                starts_at=starts_at,
                ends_at=ends_at,
                headcount=1,
                purpose=purpose,
                status=BookingStatus.CONFIRMED,
            )
        )
    except BookingError as error:
        raise CareError(
            "taken", _("The counselling room is not free then. Choose another time."), "starts_at"
        ) from error


def _check_slot(
    *,
    service: CounsellingService,
    counsellor: Counsellor,
    starts_at: datetime,
    mode: str,
    now: datetime,
    exclude_appointment_id: int | None = None,
) -> datetime:
    day = to_local(starts_at).date()
    for slot in free_slots(
        service=service,
        first=day,
        last=day,
        counsellor_id=counsellor.pk,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    ):
        if slot.starts_at == starts_at:
            if mode not in slot.modes:
                raise CareError("mode", _("This way of meeting is not available at that time."), "mode")
            return slot.ends_at
    raise CareError("taken", _("This time is no longer free. Choose another slot."), "starts_at")


def _alert_lead(appointment: Appointment) -> None:
    """Tell every centre lead of the district at once: their inbox, and their work email too (staff have
    no household, so notify() alone would only reach the inbox, which a lead may not be watching). The
    message names the reference and the time, never the intake."""
    leads = Counsellor.objects.filter(
        district_id=appointment.district_id, is_centre_lead=True, user__is_active=True
    ).select_related("user")
    context = {
        **message_context(appointment),
        "link": f"{settings.SITE_URL}/admin/care/appointment/{appointment.pk}/change/",
    }
    for lead in leads:
        key = f"care.crisis:{appointment.pk}:{lead.user_id}"
        notify(user=lead.user, template="care.crisis_alert", event_key=key, context=context)
        if lead.user.email:
            notify_address(
                user=lead.user,
                channel=Notification.Channel.EMAIL,
                address=lead.user.email,
                template="care.crisis_alert",
                event_key=f"{key}:work-email",
                context=context,
            )


def appointment_book(
    *,
    user: User,
    service_id: int,
    counsellor_id: int,
    starts_at: datetime,
    mode: str,
    topic: str,
    intake: str = "",
    urgency: str = Urgency.ROUTINE,
    preferred_contact: str = PreferredContact.PHONE,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    now = now or timezone.now()
    topic, intake = (topic or "").strip(), (intake or "").strip()
    if not topic:
        raise CareError("topic", _("Say briefly what you would like to talk about."), "topic")
    if mode not in AppointmentMode.values:
        raise CareError("mode", _("Choose how you would like to meet."), "mode")
    household = applicant_household(user)
    service = CounsellingService.objects.filter(pk=service_id, is_active=True).first()
    if service is None:
        raise CareError("not_found", _("This counselling service is not offered."), "service")
    refuse_if_banned(household.pk, service.district_id, now)
    crisis = signals_crisis(topic, intake)
    with transaction.atomic():
        # The counsellor's row serializes their bookings: two residents cannot take one slot.
        counsellor = (
            Counsellor.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=counsellor_id, services=service)
            .first()
        )
        if counsellor is None:
            raise CareError("not_found", _("This counsellor does not offer this service."), "counsellor")
        ends_at = _check_slot(service=service, counsellor=counsellor, starts_at=starts_at, mode=mode, now=now)
        booking = None
        if mode == AppointmentMode.ROOM:
            booking = _hold_room(counsellor=counsellor, starts_at=starts_at, ends_at=ends_at, now=now)
        appointment = Appointment.objects.create(
            district_id=service.district_id,
            service=service,
            counsellor=counsellor,
            household=household,
            starts_at=starts_at,
            ends_at=ends_at,
            mode=mode,
            booking=booking,
            status=A.BOOKED,
            topic=topic,
            intake=intake,
            urgency=Urgency.URGENT if crisis else urgency,
            preferred_contact=preferred_contact,
            crisis=crisis,
        )
        appointment.reference = f"CA-{to_local(now).year}-{appointment.pk:06d}"
        appointment.save(update_fields=["reference"])
        appointment.household = household
        appointment_flow.record(
            appointment, "care.appointment.booked", actor=user, request=request, crisis=crisis
        )
        _tell(appointment, "care.appointment.booked")
        if crisis:
            _alert_lead(appointment)
    return appointment


def resident_can_change(appointment: Appointment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    deadline = appointment.starts_at - timedelta(hours=appointment.service.cancel_deadline_hours)
    return appointment.status == A.BOOKED and now <= deadline


def _own(appointment: Appointment, user: User) -> None:
    if appointment.household.user_id != user.pk:
        raise CareError("not_found", _("No such appointment."))


def _release_room(appointment: Appointment, *, actor: User, request: HttpRequest | None) -> None:
    from spaces.services.bookings import booking_staff_cancel

    if appointment.booking_id:
        booking_staff_cancel(
            actor=appointment.counsellor.user,
            booking_id=appointment.booking_id,
            reason=str(_("Counselling cancelled")),
            request=request,
        )


def appointment_cancel(
    *, user: User, appointment_id: int, request: HttpRequest | None = None, now: datetime | None = None
) -> Appointment:
    with transaction.atomic():
        appointment = appointment_flow.lock(appointment_id)
        _own(appointment, user)
        if appointment.status == A.BOOKED and not resident_can_change(appointment, now):
            raise CareError(
                "cancel_deadline",
                _("Appointments can be cancelled until %(hours)d hours before. Please call the centre.")
                % {"hours": appointment.service.cancel_deadline_hours},
            )
        appointment_flow.move(
            appointment, A.CANCELLED, actor=user, request=request, cancelled_at=timezone.now()
        )
        _release_room(appointment, actor=user, request=request)
        _tell(appointment, "care.appointment.cancelled")
    return appointment


def appointment_move(
    *,
    user: User,
    appointment_id: int,
    starts_at: datetime,
    mode: str | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move to another free slot of the same counsellor (the room booking moves with it)."""
    from spaces.services.bookings import booking_reschedule
    from spaces.services.errors import BookingError

    now = now or timezone.now()
    with transaction.atomic():
        appointment = appointment_flow.lock(appointment_id)
        _own(appointment, user)
        if not resident_can_change(appointment, now):
            raise CareError(
                "cancel_deadline",
                _("This appointment can no longer be changed online. Please call the centre."),
            )
        Counsellor.objects.select_for_update().filter(pk=appointment.counsellor_id).first()
        mode = mode or appointment.mode
        ends_at = _check_slot(
            service=appointment.service,
            counsellor=appointment.counsellor,
            starts_at=starts_at,
            mode=mode,
            now=now,
            exclude_appointment_id=appointment.pk,
        )
        previous = appointment.starts_at.isoformat()
        if appointment.booking_id and mode == AppointmentMode.ROOM:
            try:
                booking_reschedule(
                    actor=appointment.counsellor.user,
                    booking_id=appointment.booking_id,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    as_staff=True,
                    request=request,
                    now=now,
                )
            except BookingError as error:
                raise CareError(
                    "taken", _("The counselling room is not free then. Choose another time."), "starts_at"
                ) from error
        elif appointment.booking_id:
            _release_room(appointment, actor=user, request=request)
            appointment.booking = None
        elif mode == AppointmentMode.ROOM:
            appointment.booking = _hold_room(
                counsellor=appointment.counsellor, starts_at=starts_at, ends_at=ends_at, now=now
            )
        appointment.starts_at, appointment.ends_at, appointment.mode = starts_at, ends_at, mode
        appointment.reminder_sent_at = None
        appointment.save()
        appointment_flow.record(
            appointment,
            "care.appointment.moved",
            actor=user,
            request=request,
            **{"from": previous, "to": starts_at.isoformat()},
        )
        _tell(appointment, "care.appointment.moved")
    return appointment


def appointment_mark_attendance(
    *, actor: User, appointment_id: int, attended: bool, request: HttpRequest | None = None
) -> Appointment:
    """The counsellor records whether the resident came. A no-show is counted like a room's: repeated
    ones ban booking counselling for a while (care.services.bans, spaces' rule under care's policy)."""
    with transaction.atomic():
        appointment = appointment_flow.lock(appointment_id)
        if appointment.starts_at > timezone.now():
            raise CareError("too_early", _("Attendance can be recorded once the appointment has started."))
        appointment_flow.move(
            appointment,
            A.ATTENDED if attended else A.NO_SHOW,
            actor=actor,
            request=request,
            attendance_marked_at=timezone.now(),
        )
        if not attended:
            apply_no_show_rule(appointment, actor=actor, request=request)
    return appointment


def appointments_send_reminders(*, now: datetime | None = None) -> int:
    """Remind each appointment starting in the next 24 hours once (claimed by a conditional UPDATE; the
    event key carries the start, so a moved appointment is reminded again), as spaces does for rooms."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=A.BOOKED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
    ).select_related("service", "household__user", "booking__room__space")
    sent = 0
    for appointment in due.iterator(chunk_size=500):
        with transaction.atomic():
            if not Appointment.objects.filter(pk=appointment.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            notify(
                user=appointment.household.user,
                template="care.appointment.reminder",
                event_key=f"care.appointment:{appointment.pk}:reminder:{appointment.starts_at.isoformat()}",
                context=message_context(appointment),
            )
            sent += 1
    return sent


def no_show_rate(queryset) -> float | None:
    """No-shows among appointments whose attendance was recorded."""
    from django.db.models import Count, Q

    figures = queryset.aggregate(
        done=Count("id", filter=Q(status__in=[A.ATTENDED, A.NO_SHOW])),
        missed=Count("id", filter=Q(status=A.NO_SHOW)),
    )
    return figures["missed"] / figures["done"] if figures["done"] else None
