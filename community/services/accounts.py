"""What a deleted account leaves in community: nothing that names the person.

Their drafts (nobody else has seen them) are deleted; proposals already submitted stay as the group's
record with no lead; their memberships, invitations, appointments and conflict notes go. Scores they
gave as an evaluator stay (the call's result rests on them) and name only the account id.
"""

from __future__ import annotations

from django.db import transaction
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
