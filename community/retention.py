"""The community app's class in the retention table: what groups wrote in proposals that were not
selected (not eligible, not selected, withdrawn). Selected projects stay: they are the public record of
how the grant was spent."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .models import Proposal, ProposalStatus

ENDED = (ProposalStatus.INELIGIBLE, ProposalStatus.NOT_SELECTED, ProposalStatus.WITHDRAWN)


def proposals_due(*, now, cutoff) -> models.QuerySet:
    return Proposal.objects.filter(status__in=ENDED, updated_at__lt=cutoff).filter(
        ~Q(purpose="") | ~Q(plan="") | ~Q(schedule="")
    )


def proposals_prune(*, pks, now) -> int:
    """Blank the group's texts and drop its member list; the row stays for the call's statistics."""
    done = Proposal.objects.filter(pk__in=pks, status__in=ENDED).update(purpose="", plan="", schedule="")
    Proposal.members.field.model.objects.filter(proposal_id__in=pks).delete()
    return done


def register_retention() -> None:
    register(
        DataClass(
            key="community_proposals",
            label=_("What your group wrote in a community proposal that was not selected"),
            outcome=_("blanked, counted from the decision"),
            setting="RETENTION_COMMUNITY_PROPOSALS_DAYS",
            due=proposals_due,
            prune=proposals_prune,
            order=60,
        )
    )
