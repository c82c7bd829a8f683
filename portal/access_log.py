"""“Who read my data”: a resident's view of the access log (issue 14, item 5).

Every time a staff member opens a resident's record (admin change or history page, staff API detail,
an uploaded document) an AuditEvent is written with the resident as `subject_user_id`. This module
says which of those actions are *reads* of personal data and turns each into what the resident is
told: when, which office, which role — never who by name (PIPA lets the resident know their data was
processed; the official's identity stays with the district, which can answer a request for it).

Exports: a staff export (reports.exports) writes one event for the whole file, with no subject, so it
cannot be told to a resident exactly; only events naming this resident are shown. The apps' action
names are strings here on purpose: the core imports no app above it, and a test checks that every
`access_log_action` in the code is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, User

# action → what the resident is told was opened.
PERSONAL_DATA_READS: dict[str, Promise] = {
    "households.household.viewed": _("Your household profile"),
    "programs.application.viewed": _("Your application"),
    "programs.document.viewed": _("A document you submitted"),
    "safety.kit_request.viewed": _("Your safety kit request"),
    "booking.viewed": _("Your space booking"),
    "spaces.booking.viewed": _("Your space booking"),
    "booking.suspension_viewed": _("Your booking suspension"),
    "lockers.delivery.viewed": _("Your parcel"),
    "care.appointment.viewed": _("Your counselling appointment"),
    "care.note.viewed": _("Notes of your counselling session"),
    "care.enrolment.viewed": _("Your wellbeing check-in enrolment"),
    "care.checkin_task.viewed": _("A follow-up of your wellbeing check-in"),
    "care.ban.viewed": _("Your counselling booking ban"),
    "community.proposal.viewed": _("Your community proposal"),
}


@dataclass(frozen=True)
class DataAccess:
    at: datetime
    what: str
    reference: str
    office: str
    role: str


def reads_of(user: User) -> QuerySet[AuditEvent]:
    """The staff reads of `user`'s personal data, newest first (subject_user_id is indexed)."""
    return (
        AuditEvent.objects.filter(subject_user_id=user.pk, action__in=PERSONAL_DATA_READS)
        .exclude(actor_id=user.pk)
        .select_related("actor__district__city", "district__city")
        .order_by("-created_at", "-id")
    )


def _office(event: AuditEvent) -> str:
    """The office the reader worked at. Staff see only their own district's records, so the record's
    district (stored on the event when it was written) is their office; a city administrator (no
    district) reads from the city hall."""
    actor = event.actor
    district = event.district or (actor.district if actor is not None else None)
    if actor is not None and (actor.role == User.Role.CITY_ADMIN or actor.district_id is None):
        if district is not None:
            return str(_("%(city)s city hall") % {"city": district.city})
        return str(_("City hall"))
    if district is None:
        return str(_("Unknown office"))
    return str(_("%(district)s office") % {"district": district.full_name})


def _role(event: AuditEvent) -> str:
    if event.actor is None:
        return str(_("Staff (account closed)"))
    return str(event.actor.get_role_display())


def describe(event: AuditEvent) -> DataAccess:
    data = event.data if isinstance(event.data, dict) else {}
    return DataAccess(
        at=event.created_at,
        what=str(PERSONAL_DATA_READS.get(event.action, _("Your personal data"))),
        reference=str(data.get("reference") or ""),
        office=_office(event),
        role=_role(event),
    )
