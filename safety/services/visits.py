"""Installation visits: staff schedule one for an approved request and record its outcome; the
resident may ask for another time. Each change is audited on the kit request (safety.visit.*), and a
scheduled or failed visit tells the resident.
"""

from __future__ import annotations

from datetime import date, time

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.models import User
from portal.timeutils import local_today

from ..models import OPEN_VISIT_STATUSES, RESERVING_STATUSES, InstallationVisit, KitRequest, VisitStatus
from .base import S, SafetyError, kit_request_flow, own_request, tell_resident


@transaction.atomic
def visit_reschedule_request(
    *, user: User, kit_request: KitRequest, note: str, request: HttpRequest | None = None
) -> InstallationVisit:
    """The resident cannot make the scheduled time: staff see the note and schedule another."""
    kit_request = own_request(kit_request, user)
    note = note.strip()
    if not note:
        raise SafetyError("note_required", _("Say which days and times suit you better."))
    visit = (
        kit_request.visits.select_for_update().filter(status=VisitStatus.SCHEDULED).order_by("-id").first()
        if kit_request.status == S.SCHEDULED
        else None
    )
    if visit is None:
        raise SafetyError("invalid_transition", _("There is no scheduled visit to change."))
    visit.status = VisitStatus.RESCHEDULE_REQUESTED
    visit.resident_note = note[:2000]
    visit._history_user = user
    visit.save()
    kit_request_flow.record(
        kit_request, "safety.visit.reschedule_requested", actor=user, request=request, visit=visit.pk
    )
    return visit


def _window_text(visit: InstallationVisit) -> str:
    return f"{visit.window_start:%H:%M}–{visit.window_end:%H:%M}"


@transaction.atomic
def visit_schedule(
    *,
    kit_request: KitRequest,
    actor: User,
    date: date,
    window_start: time,
    window_end: time,
    installer: str,
    request: HttpRequest | None = None,
) -> InstallationVisit:
    """Schedule (or re-schedule) the installation visit; an earlier open visit is replaced."""
    installer = installer.strip()
    if not installer:
        raise SafetyError("installer_required", _("Name the installer."))
    if window_end <= window_start:
        raise SafetyError("invalid_window", _("The visit window must end after it starts."))
    if date < local_today():
        raise SafetyError("window_in_past", _("Choose a visit date from today on."))
    kit_request = kit_request_flow.lock(kit_request.pk)
    if kit_request.status not in RESERVING_STATUSES:
        raise SafetyError(
            "invalid_transition",
            _("Only an approved request gets a visit: this one is %(status)s.")
            % {"status": kit_request.get_status_display()},
        )
    kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES).update(status=VisitStatus.REPLACED)
    visit = InstallationVisit(
        request=kit_request,
        date=date,
        window_start=window_start,
        window_end=window_end,
        installer=installer[:100],
    )
    visit._history_user = actor
    visit.save()
    if kit_request.status == S.APPROVED:
        kit_request_flow.move(kit_request, S.SCHEDULED, actor=actor, request=request)
    kit_request_flow.record(
        kit_request, "safety.visit.scheduled", actor=actor, request=request, visit=visit.pk
    )
    tell_resident(
        kit_request,
        "safety.visit.scheduled",
        date=f"{visit.date:%Y-%m-%d}",
        window=_window_text(visit),
        installer=visit.installer,
    )
    return visit


@transaction.atomic
def visit_complete(
    *,
    visit: InstallationVisit,
    actor: User,
    installed: bool,
    note: str = "",
    failure_reason: str = "",
    request: HttpRequest | None = None,
) -> InstallationVisit:
    """Record the visit's outcome: installed (the request is done) or failed (reason; the request
    returns to "approved" with its stock still reserved, for a new visit)."""
    kit_request = kit_request_flow.lock(visit.request_id)
    visit = InstallationVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status not in OPEN_VISIT_STATUSES or kit_request.status != S.SCHEDULED:
        raise SafetyError("invalid_transition", _("This visit is already closed."))
    failure_reason = failure_reason.strip()
    if not installed and not failure_reason:
        raise SafetyError("reason_required", _("Say why the installation failed."))
    visit.status = VisitStatus.INSTALLED if installed else VisitStatus.FAILED
    visit.note = note.strip()[:2000]
    visit.failure_reason = "" if installed else failure_reason[:2000]
    visit._history_user = actor
    visit.save()
    if installed:
        kit_request_flow.move(kit_request, S.INSTALLED, actor=actor, request=request)
        tell_resident(kit_request, "safety.kit_request.installed")
    else:
        kit_request_flow.move(kit_request, S.APPROVED, actor=actor, request=request, decision_reason="")
        kit_request_flow.record(
            kit_request, "safety.visit.failed", actor=actor, request=request, visit=visit.pk
        )
        tell_resident(kit_request, "safety.visit.failed", reason=visit.failure_reason)
    return visit
