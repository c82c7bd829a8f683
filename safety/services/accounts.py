"""safety's part when a resident's account is deleted (households announces it: see safety.receivers)."""

from __future__ import annotations

from django.http import HttpRequest

from households.models import Household
from portal.models import User

from ..models import (
    OPEN_VISIT_STATUSES,
    RESERVING_STATUSES,
    InstallationVisit,
    KitRequest,
    SatisfactionSurvey,
    VisitStatus,
)
from ..models import KitRequestStatus as S
from .base import CANCELLABLE, kit_request_flow
from .stock import release


def kit_requests_release_for_deleted_account(
    *, user: User, household: Household | None, request: HttpRequest | None = None
) -> int:
    """Cancel each kit request still under way, as the resident would (stock an approved request held
    goes back to the district, open visits are called off), through the workflow, with its audit event
    and history but no message. Then erase what the resident wrote: visit notes, survey comments and
    the eligibility lines (they quote the profile). Returns how many were cancelled."""
    if household is None:
        return 0
    cancelled = 0
    ids = KitRequest.objects.filter(household=household, status__in=CANCELLABLE).order_by("pk")
    for pk in list(ids.values_list("pk", flat=True)):
        kit_request = kit_request_flow.lock(pk)
        if kit_request.status not in CANCELLABLE:  # decided meanwhile
            continue
        if kit_request.status in RESERVING_STATUSES:
            release(kit_request, actor=user)
        kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES).update(status=VisitStatus.REPLACED)
        kit_request_flow.move(kit_request, S.CANCELLED, actor=user, request=request)
        cancelled += 1
    requests = KitRequest.objects.filter(household=household)
    requests.update(eligibility_lines=[])
    InstallationVisit.objects.filter(request__in=requests).update(resident_note="")
    InstallationVisit.history.filter(request__household_id=household.pk).update(resident_note="")
    SatisfactionSurvey.objects.filter(request__in=requests).update(comment="")
    return cancelled
