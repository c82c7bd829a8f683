"""care's part when a resident's account is deleted (households announces it: see care.receivers)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from households.models import Household
from portal.models import User

from ..models import (
    Appointment,
    AppointmentStatus,
    CheckIn,
    CheckInStatus,
    CheckInTask,
    CounsellingBan,
    Enrolment,
    EnrolmentStatus,
    Guardian,
    SessionNote,
)
from .appointments import _release_room, appointment_flow


def care_forget_deleted_account(
    *, user: User, household: Household | None, request: HttpRequest | None = None
) -> None:
    """Upcoming appointments are cancelled (their rooms freed) through the workflow, with no message;
    what the resident wrote (topic, intake) is blanked; the enrolment is withdrawn, unsent check-ins
    skipped, task notes blanked and guardians (names, addresses) deleted, and so are no-show bans. Session
    notes are deleted too: written about the resident, they may name them, and no pattern finds a name
    in free text."""
    if household is None:
        return
    now = timezone.now()
    for pk in Appointment.objects.filter(
        household=household, status=AppointmentStatus.BOOKED, starts_at__gt=now
    ).values_list("pk", flat=True):
        appointment = appointment_flow.lock(pk)
        appointment_flow.move(
            appointment, AppointmentStatus.CANCELLED, actor=user, request=request, cancelled_at=now
        )
        _release_room(appointment, actor=user, request=request)
    Appointment.objects.filter(household=household).update(topic="", intake="")
    SessionNote.objects.filter(appointment__household=household).delete()
    enrolments = Enrolment.objects.filter(household=household)
    enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).update(
        status=EnrolmentStatus.WITHDRAWN, withdrawn_at=now
    )
    CheckIn.objects.filter(enrolment__in=enrolments, status=CheckInStatus.SCHEDULED).update(
        status=CheckInStatus.SKIPPED
    )
    CheckInTask.objects.filter(checkin__enrolment__in=enrolments).update(note="")
    Guardian.objects.filter(enrolment__in=enrolments).delete()
    # A no-show ban is about the person; with the account gone nobody can book under it.
    CounsellingBan.objects.filter(household=household).delete()


def care_data_for_export(*, household: Household | None) -> dict:
    """care's sections of a resident's data download (PIPA art. 35): their counselling appointments with
    what they wrote, and their check-in enrolment with its guardians and recent check-ins. Session notes
    are the counsellor's record, kept confidential, and are not part of it."""
    if household is None:
        return {}
    appointments = [
        {
            "reference": a.reference,
            "service": a.service.name,
            "starts_at": a.starts_at.isoformat(),
            "ends_at": a.ends_at.isoformat(),
            "mode": a.mode,
            "status": a.status,
            "topic": a.topic,
            "intake": a.intake,
            "urgency": a.urgency,
        }
        for a in Appointment.objects.filter(household=household)
        .select_related("service")
        .order_by("starts_at")
    ]
    enrolment = Enrolment.objects.filter(household=household).first()
    checkins = {}
    if enrolment is not None:
        checkins = {
            "status": enrolment.status,
            "consent_given_at": enrolment.consent_given_at.isoformat(),
            "paused_from": enrolment.paused_from.isoformat() if enrolment.paused_from else None,
            "paused_until": enrolment.paused_until.isoformat() if enrolment.paused_until else None,
            "guardians": [
                {"name": g.name, "relation": g.relation, "email": g.email, "phone": g.phone}
                for g in Guardian.objects.filter(enrolment=enrolment).order_by("pk")
            ],
            "recent_checkins": [
                {"scheduled_at": c.scheduled_at.isoformat(), "status": c.status}
                for c in CheckIn.objects.filter(enrolment=enrolment).order_by("-scheduled_at")[:100]
            ],
        }
    return {"counselling_appointments": appointments, "wellbeing_checkins": checkins}
