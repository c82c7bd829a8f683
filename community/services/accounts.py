"""What a deleted account leaves in community: nothing that names the person.

Their drafts (nobody else has seen them) are deleted; proposals already submitted stay as the group's
record with no lead; their memberships, invitations, appointments and conflict notes go. Scores they
gave as an evaluator stay (the call's result rests on them) and name only the account id.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from portal.audit import audit_log
from portal.models import User

from ..models import Appointment, ConflictDeclaration, Proposal, ProposalMember, ProposalStatus


@transaction.atomic
def community_forget_account(*, user: User, request: HttpRequest | None = None) -> None:
    drafts = Proposal.objects.filter(lead=user, status=ProposalStatus.DRAFT)
    draft_ids = list(drafts.values_list("pk", flat=True))
    for proposal in drafts:
        proposal.delete()
    # Their copies in the history table hold the drafts' titles too.
    Proposal.history.model.objects.filter(id__in=draft_ids).delete()
    Proposal.objects.filter(lead=user).update(lead=None)
    Proposal.history.model.objects.filter(lead=user).update(lead=None)
    ProposalMember.objects.filter(user=user).delete()
    Appointment.objects.filter(user=user).delete()
    ConflictDeclaration.objects.filter(evaluator=user).update(note="")
    if draft_ids:
        audit_log(
            actor=user,
            action="community.account.drafts_deleted",
            request=request,
            data={"count": len(draft_ids)},
        )


def community_data_for_export(*, user: User) -> dict:
    """The community-building section of a resident's data download (PIPA art. 35): the proposals they
    lead or were invited to, with their part in each (no other member's data)."""
    memberships = {
        m.proposal_id: m.status
        for m in ProposalMember.objects.filter(user=user).only("proposal_id", "status")
    }
    proposals = (
        Proposal.objects.filter(Q(lead=user) | Q(pk__in=list(memberships)))
        .select_related("call")
        .order_by("created_at", "pk")
    )
    return {
        "community_proposals": [
            {
                "reference": p.reference,
                "call": p.call.title,
                "role": "lead" if p.lead_id == user.pk else "member",
                "membership": memberships.get(p.pk),
                "group_name": p.group_name,
                "title": p.title,
                "purpose": p.purpose,
                "plan": p.plan,
                "schedule": p.schedule,
                "status": p.status,
                "submitted_at": p.submitted_at.isoformat() if p.submitted_at else None,
                "grant_amount": p.grant_amount,
            }
            for p in proposals
        ]
    }
