"""What every community service shares: the refusal, the proposal and call workflows, who to tell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy

from portal.errors import DomainError
from portal.models import User
from portal.workflow import Workflow

from ..models import Call, CallStatus, MemberStatus, Proposal, ProposalStatus

P = ProposalStatus
C = CallStatus


@dataclass
class CommunityError(DomainError):
    """A refusal of the community services: 404 for what the user may not see, 409 when the state of the
    call or proposal (or the budget) stands in the way, 400 otherwise."""

    status_by_code = {
        "invalid_transition": 409,
        "deadline_passed": 409,
        "over_budget": 409,
        "quota_exceeded": 409,
        "already_scored": 409,
        "conflicted": 409,
        "not_evaluator": 403,
        "forbidden": 403,
    }
    field_by_code = {
        "reason_required": "reason",
        "invalid_scores": "scores",
        "over_limit": "budget_lines",
        "invalid_budget": "budget_lines",
        "unknown_member": "email",
        "invalid_category": "category",
        "invalid_amount": "amount",
        "note_required": "note",
    }


# Which status may follow which, for a proposal. Anything else is refused, whoever asks.
PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    P.DRAFT: {P.SUBMITTED, P.WITHDRAWN},
    P.SUBMITTED: {P.ELIGIBLE, P.INELIGIBLE, P.WITHDRAWN},
    P.ELIGIBLE: {P.INELIGIBLE, P.SELECTED, P.NOT_SELECTED, P.WITHDRAWN},
    P.INELIGIBLE: {P.ELIGIBLE},
    # While the call is in selection staff may change their mind (the budget check runs again).
    P.SELECTED: {P.NOT_SELECTED},
    P.NOT_SELECTED: {P.SELECTED},
    P.WITHDRAWN: set(),
}

CALL_TRANSITIONS: dict[str, set[str]] = {
    C.DRAFT: {C.PUBLISHED},
    C.PUBLISHED: {C.SCORING},
    C.SCORING: {C.DECIDING},
    C.DECIDING: {C.ANNOUNCED},
    C.ANNOUNCED: set(),
}

proposal_flow = Workflow(
    model=Proposal,
    transitions=PROPOSAL_TRANSITIONS,
    action="community.proposal",
    notify_key="community.proposal",
    error=CommunityError,
    refused=gettext_lazy("This proposal is %(status)s: it cannot be changed that way."),
    lock_related=("call__district", "lead"),
    subject_user_id=lambda proposal: proposal.lead_id,
    district=lambda proposal: proposal.call.district,
    audit_data=lambda proposal: {"reference": proposal.reference},
)

call_flow = Workflow(
    model=Call,
    transitions=CALL_TRANSITIONS,
    action="community.call",
    notify_key="community.call",
    error=CommunityError,
    refused=gettext_lazy("This call is %(status)s: it cannot be changed that way."),
    lock_related=("district",),
    district=lambda call: call.district,
)


def group_users(proposal: Proposal) -> list[User]:
    """The lead and the confirmed members: the people told about the proposal."""
    users = [proposal.lead] if proposal.lead_id and proposal.lead.is_active else []
    users += [
        member.user
        for member in proposal.members.filter(
            status=MemberStatus.CONFIRMED, user__is_active=True
        ).select_related("user")
        if member.user_id != proposal.lead_id
    ]
    return users


def tell_group(proposal: Proposal, template: str, **context: Any) -> None:
    """Tell the group about the proposal's latest audit event: once per person per event."""
    for user in group_users(proposal):
        proposal_flow.notify(
            proposal,
            template,
            user=user,
            context={
                "reference": proposal.reference or "",
                "title": proposal.title,
                "call": proposal.call.title,
                "reason": proposal.screening_reason,
                "link": f"{settings.SITE_URL}/community/proposals/{proposal.pk}/",
                **context,
            },
        )
