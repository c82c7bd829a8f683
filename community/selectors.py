"""Reads of community that are more than a get: the public lists, a resident's proposals, staff lists."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from portal.models import User
from spaces.models import Room

from .models import (
    ActivityReport,
    Call,
    CallStatus,
    MemberStatus,
    Milestone,
    Payment,
    Proposal,
    ProposalMember,
    ProposalStatus,
    ReportStatus,
)


def open_calls() -> QuerySet[Call]:
    now = timezone.now()
    return (
        Call.objects.filter(status=CallStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .select_related("district")
        .order_by("closes_at", "pk")
    )


def public_calls() -> QuerySet[Call]:
    """Calls anyone may read: everything past the draft."""
    return Call.objects.exclude(status=CallStatus.DRAFT).select_related("district")


def proposals_of(user: User) -> QuerySet[Proposal]:
    """Proposals the user leads or confirmed membership of."""
    member = ProposalMember.objects.filter(proposal=OuterRef("pk"), user=user, status=MemberStatus.CONFIRMED)
    return (
        Proposal.objects.filter(Q(lead=user) | Exists(member))
        .select_related("call__district", "category")
        .order_by("-created_at", "-pk")
    )


def member_projects(user: User) -> QuerySet[Proposal]:
    """Selected projects the user is a confirmed member of (the lead is one from the start)."""
    member = ProposalMember.objects.filter(proposal=OuterRef("pk"), user=user, status=MemberStatus.CONFIRMED)
    return Proposal.objects.filter(Exists(member), status=ProposalStatus.SELECTED).select_related(
        "call__district"
    )


def member_milestones(user: User) -> QuerySet[Milestone]:
    """Milestones of the projects the user is a confirmed member of, with the group's reports and files."""
    member = ProposalMember.objects.filter(
        proposal=OuterRef("proposal_id"), user=user, status=MemberStatus.CONFIRMED
    )
    return (
        Milestone.objects.filter(Exists(member))
        .select_related("proposal")
        .prefetch_related(
            Prefetch("reports", queryset=ActivityReport.objects.prefetch_related("files")),
        )
        .order_by("due_on", "pk")
    )


def invitations_for(user: User) -> QuerySet[ProposalMember]:
    return ProposalMember.objects.filter(
        user=user, status=MemberStatus.INVITED, proposal__status=ProposalStatus.DRAFT
    ).select_related("proposal__call", "proposal__lead")


def public_projects() -> QuerySet[Proposal]:
    """Selected projects of announced calls, with their public figures (no personal data)."""
    accepted = ActivityReport.objects.filter(status=ReportStatus.ACCEPTED)
    return (
        Proposal.objects.filter(status=ProposalStatus.SELECTED, call__status=CallStatus.ANNOUNCED)
        .select_related("call__district__city", "category")
        .annotate(
            accepted_reports=Count(
                "milestones__reports", filter=Q(milestones__reports__in=accepted), distinct=True
            )
        )
        .order_by("-call__closes_at", "call_id", "pk")
    )


def project_rooms(proposal: Proposal) -> list[Room]:
    """Rooms of the call's district a project may book."""
    return list(
        Room.objects.filter(space__district_id=proposal.call.district_id, is_active=True)
        .select_related("space")
        .order_by("space__name", "name")
    )


def paid_total(proposal: Proposal) -> int:
    return Payment.objects.filter(proposal=proposal).aggregate(total=Sum("amount"))["total"] or 0
