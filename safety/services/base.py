"""What every safety service shares: the refusal, the kit request's transition table and its workflow.

Every state change of a kit request is one transaction through ``kit_request_flow``: it locks the request row,
checks TRANSITIONS, saves the status with its history user, writes the audit event
("safety.kit_request.<status>", with the request's reference) and queues the resident's message on commit
through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import HousingTenure
from portal.errors import DomainError
from portal.models import User
from portal.workflow import Workflow

from ..models import KitRequest, KitRequestStatus, Slot

S = KitRequestStatus

# Which status may follow which. Anything else is refused by the workflow, whoever asks (web, admin, API).
TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.SCHEDULED, S.REJECTED, S.CANCELLED},
    # Back to approved when a visit fails: the stock stays reserved and a new visit is scheduled.
    S.SCHEDULED: {S.INSTALLED, S.APPROVED, S.REJECTED, S.CANCELLED},
    S.INSTALLED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}
CANCELLABLE = {S.SUBMITTED, S.APPROVED, S.SCHEDULED}
STAFF_ACTIONS = {"approve": S.APPROVED, "reject": S.REJECTED}
MAX_WINDOWS = 3
# A request undecided for a week is overdue: the admin queue and the staff API can list those.
DECISION_PROMISE = timedelta(days=7)
RENTER_TENURES = {HousingTenure.JEONSE, HousingTenure.MONTHLY_RENT, HousingTenure.PUBLIC_RENTAL}
# Slot → the time window a scheduled visit in it usually gets (a suggestion for staff, not a rule).
SLOT_TIMES: dict[str, tuple[time, time]] = {
    Slot.MORNING: (time(9), time(12)),
    Slot.AFTERNOON: (time(13), time(18)),
    Slot.EVENING: (time(18), time(21)),
}


@dataclass
class SafetyError(DomainError):
    """A refusal of the safety services: 404 for someone else's request, 409 when the request's state
    or the stock stands in the way, 400 otherwise (portal.api.errors answers it)."""

    status_by_code = {
        "not_found": 404,
        "invalid_transition": 409,
        "out_of_stock": 409,
        "negative_stock": 409,
    }
    # The form or API field each input refusal concerns.
    field_by_code = {
        "items_required": "items",
        "invalid_item": "items",
        "too_many_items": "items",
        "windows_required": "windows",
        "too_many_windows": "windows",
        "invalid_window": "windows",
        "window_in_past": "windows",
        "reason_required": "reason",
        "note_required": "note",
        "invalid_rating": "rating",
        "installer_required": "installer",
    }


kit_request_flow = Workflow(
    model=KitRequest,
    transitions=TRANSITIONS,
    action="safety.kit_request",
    notify_key="kit_request",
    error=SafetyError,
    refused=gettext_lazy("This request is %(status)s: it cannot be changed that way."),
    # Read by the move's audit event and the resident's message; only the request row is locked.
    lock_related=("household__user", "district", "offer"),
    subject_user_id=lambda kit_request: kit_request.household.user_id,
    district=lambda kit_request: kit_request.district,
    audit_data=lambda kit_request: {"reference": kit_request.reference},
)


def tell_resident(kit_request: KitRequest, template: str, **context: Any) -> None:
    """The resident's message about the request's latest audit event: one per channel per event."""
    kit_request_flow.notify(
        kit_request,
        template,
        user=kit_request.household.user,
        context={
            "reference": kit_request.reference or "",
            "reason": kit_request.decision_reason,
            "link": f"{settings.SITE_URL}/safety/requests/{kit_request.pk}/",
            **context,
        },
    )


def own_request(kit_request: KitRequest, user: User) -> KitRequest:
    """The resident's own request, locked; anyone else's is "not found"."""
    locked = kit_request_flow.lock(kit_request.pk)
    if locked.household.user_id != user.pk:
        raise SafetyError("not_found", _("Request not found."))
    return locked
