"""The community building panel: per call of the district, proposals, selection rate, grants,
spending and activity reports — one query, each figure a subquery so no join multiplies another.

Which calls: those opened before the end of the period and at most a year before its start (a round
and its follow-up run about a year). Proposal and selection figures are the call's to date; spending
and activity reports count what happened up to the end of the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from community.models import ActivityReport, Call, Payment, Proposal, ProposalStatus
from portal.models import User

from .selectors import Period, _in_district, ratio

FOLLOW_UP = timedelta(days=365)
SUBMITTED = [s for s in ProposalStatus.values if s != ProposalStatus.DRAFT]


@dataclass
class CallFigures:
    call_id: int
    title: str
    district: str
    budget: int
    proposals: int
    selected: int
    grants: int
    spent: int
    reports: int
    reports_accepted: int

    @property
    def selection_rate(self) -> float | None:
        return ratio(self.selected, self.proposals)


@dataclass
class CommunityPanel:
    calls: list[CallFigures]
    computed_at: datetime = field(default_factory=timezone.now)

    def total(self, name: str) -> int:
        return sum(getattr(call, name) for call in self.calls)

    @property
    def selection_rate(self) -> float | None:
        return ratio(self.total("selected"), self.total("proposals"))


def _sum(queryset, expression) -> Subquery:
    return Coalesce(
        Subquery(queryset.order_by().values("marker").annotate(value=expression).values("value")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def community_panel(user: User, district_id: int | None, period: Period) -> CommunityPanel:
    calls = _in_district(Call.objects.visible_to(user), district_id).filter(
        opens_at__lt=period.end_at, opens_at__gte=period.start_at - FOLLOW_UP
    )
    proposals = Proposal.objects.filter(call=OuterRef("pk")).annotate(marker=Value(1))
    payments = Payment.objects.filter(proposal__call=OuterRef("pk"), created_at__lt=period.end_at).annotate(
        marker=Value(1)
    )
    reports = ActivityReport.objects.filter(
        milestone__proposal__call=OuterRef("pk"), submitted_at__lt=period.end_at
    ).annotate(marker=Value(1))
    rows = (
        calls.annotate(
            n_proposals=_sum(proposals.filter(status__in=SUBMITTED), Count("pk")),
            n_selected=_sum(proposals.filter(status=ProposalStatus.SELECTED), Count("pk")),
            grants=_sum(proposals.filter(status=ProposalStatus.SELECTED), Sum("grant_amount")),
            spent=_sum(payments, Sum("amount")),
            n_reports=_sum(reports, Count("pk")),
            n_accepted=_sum(reports, Count("pk", filter=Q(status="accepted"))),
        )
        .values(
            "pk",
            "title",
            "district__name",
            "budget",
            "n_proposals",
            "n_selected",
            "grants",
            "spent",
            "n_reports",
            "n_accepted",
        )
        .order_by("-opens_at", "pk")
    )
    return CommunityPanel(
        calls=[
            CallFigures(
                row["pk"],
                row["title"],
                row["district__name"],
                row["budget"],
                row["n_proposals"],
                row["n_selected"],
                row["grants"],
                row["spent"],
                row["n_reports"],
                row["n_accepted"],
            )
            for row in rows
        ]
    )
