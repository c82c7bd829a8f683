"""Screening, conflicts of interest, independent scoring, field-visit notes, the ranking and the decision.

Independence: an evaluator's score sheet is sent whole and once, and nobody sees a proposal's scores
(through any page, the API or the admin) until they have sent their own sheet for it — or, for district
staff, until the call's scoring has closed (scores_visible). Budget: every decision locks the call's row,
so two staff selecting at once are serialized and the selected total never passes the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, OuterRef, Q, Subquery, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.identifiers import contains_identifier
from portal.models import User

from ..models import (
    Appointment,
    BudgetLine,
    Call,
    ConflictDeclaration,
    FieldVisitNote,
    Proposal,
    Score,
    ScoreSheet,
)
from ..models.evaluation import MAX_POINTS
from .base import C, CommunityError, P, call_flow, proposal_flow, tell_group

SCORED_STATUSES = (P.ELIGIBLE, P.SELECTED, P.NOT_SELECTED)
TWO_PLACES = Decimal("0.01")


def is_evaluator(user: User, call_id: int) -> bool:
    return user.is_authenticated and Appointment.objects.filter(call_id=call_id, user=user).exists()


def staff_sees(user: User, proposal: Proposal) -> bool:
    """District staff of the proposal's call (or a city admin)."""
    return (
        user.is_authenticated
        and user.is_staff
        and Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()
    )


def scores_visible(user: User, proposal: Proposal) -> bool:
    """Whether `user` may see the scores evaluators gave `proposal`: an evaluator once their own sheet
    for it is in; district staff once the call's scoring has closed. Nobody else, ever."""
    if not user.is_authenticated:
        return False
    if ScoreSheet.objects.filter(proposal=proposal, evaluator=user).exists():
        return True
    return proposal.call.status in (C.DECIDING, C.ANNOUNCED) and staff_sees(user, proposal)


# --- screening and field visits ----------------------------------------------------------------------


@transaction.atomic
def proposal_screen(
    *, proposal: Proposal, actor: User, eligible: bool, reason: str = "", request: HttpRequest | None = None
) -> Proposal:
    """Staff judge eligibility (during the call or its evaluation); an ineligible one needs a reason the
    group reads."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not eligible and not reason:
        raise CommunityError("reason_required", _("Give a reason: the group will read it."))
    if contains_identifier(reason):
        raise CommunityError("reason_required", _("Do not enter a resident registration number."))
    proposal = proposal_flow.lock(proposal.pk)
    if proposal.call.status not in (C.PUBLISHED, C.SCORING):
        raise CommunityError("invalid_transition", _("Screening is over for this call."))
    to = P.ELIGIBLE if eligible else P.INELIGIBLE
    proposal_flow.move(proposal, to, actor=actor, request=request, screening_reason=reason, screened_by=actor)
    if to == P.INELIGIBLE:
        tell_group(proposal, "community.proposal.ineligible")
    return proposal


@transaction.atomic
def visit_note_add(
    *, proposal: Proposal, actor: User, visited_on: date, note: str, request: HttpRequest | None = None
) -> FieldVisitNote:
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        raise CommunityError("note_required", _("Write what you saw on the visit."))
    if contains_identifier(note):
        raise CommunityError("note_required", _("Do not enter a resident registration number."))
    visit = FieldVisitNote.objects.create(
        proposal=proposal, author=actor, visited_on=visited_on, note=note[:4000]
    )
    proposal_flow.record(
        proposal, "community.proposal.visit_noted", actor=actor, request=request, note=visit.pk
    )
    return visit


# --- evaluators ---------------------------------------------------------------------------------------


def _scorable(user: User, proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_related("call__district").filter(pk=proposal_id).first()
    if proposal is None or not is_evaluator(user, proposal.call_id) or proposal.status == P.DRAFT:
        raise CommunityError("not_found", _("Proposal not found."))
    return proposal


@transaction.atomic
def conflict_declare(
    *, user: User, proposal_id: int, conflicted: bool, note: str = "", request: HttpRequest | None = None
) -> ConflictDeclaration:
    """Declare once, before scoring, whether the evaluator has a conflict of interest with the proposal."""
    proposal = _scorable(user, proposal_id)
    note = note.strip()[:2000] if isinstance(note, str) else ""
    if contains_identifier(note):
        raise CommunityError("note_required", _("Do not enter a resident registration number."))
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                proposal=proposal, evaluator=user, conflicted=bool(conflicted), note=note
            )
    except IntegrityError as exc:
        raise CommunityError("already_declared", _("You already declared for this proposal.")) from exc
    proposal_flow.record(
        proposal, "community.conflict.declared", actor=user, request=request, conflicted=bool(conflicted)
    )
    return declaration


def weighted_total(points: dict[int, int], weights: dict[int, int]) -> Decimal:
    """Out of 100: each criterion's points (0–10) over 10, times its weight (weights sum to 100)."""
    total = sum(Decimal(points[pk]) * weight for pk, weight in weights.items()) / MAX_POINTS
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@transaction.atomic
def scoresheet_submit(
    *, user: User, proposal_id: int, scores: Any, comment: str = "", request: HttpRequest | None = None
) -> ScoreSheet:
    """Send the whole sheet, once: 0–10 points for every criterion of the call's rubric."""
    proposal = _scorable(user, proposal_id)
    if proposal.call.status != C.SCORING or proposal.status != P.ELIGIBLE:
        raise CommunityError("invalid_transition", _("This proposal is not open for scoring."))
    declaration = ConflictDeclaration.objects.filter(proposal=proposal, evaluator=user).first()
    if declaration is None:
        raise CommunityError("conflict_first", _("Declare whether you have a conflict of interest first."))
    if declaration.conflicted:
        raise CommunityError(
            "conflicted", _("You declared a conflict of interest: you cannot score this proposal.")
        )
    weights = dict(proposal.call.criteria.values_list("pk", "weight"))
    if not isinstance(scores, dict):
        raise CommunityError("invalid_scores", _("Score every criterion from 0 to 10."))
    points: dict[int, int] = {}
    for key, value in scores.items():
        pk = int(key) if isinstance(key, int) or (isinstance(key, str) and key.isdigit()) else None
        if (
            pk not in weights
            or isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_POINTS
        ):
            raise CommunityError("invalid_scores", _("Score every criterion from 0 to 10."))
        points[pk] = value
    if set(points) != set(weights):
        raise CommunityError("invalid_scores", _("Score every criterion from 0 to 10."))
    comment = comment.strip()[:2000] if isinstance(comment, str) else ""
    if contains_identifier(comment):
        raise CommunityError(
            "invalid_scores", _("Do not enter a resident registration number."), field="comment"
        )
    try:
        with transaction.atomic():
            sheet = ScoreSheet.objects.create(
                proposal=proposal, evaluator=user, total=weighted_total(points, weights), comment=comment
            )
    except IntegrityError as exc:
        raise CommunityError("already_scored", _("You already sent your scores for this proposal.")) from exc
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion_id=pk, points=value) for pk, value in points.items()
    )
    proposal_flow.record(proposal, "community.scoresheet.submitted", actor=user, request=request)
    return sheet


# --- the call's steps, the ranking and the decision ---------------------------------------------------


def _weights_problem(call: Call) -> str | None:
    weights = list(call.criteria.values_list("weight", flat=True))
    if not weights or sum(weights) != 100:
        return _("The rubric's weights must sum to 100 (they sum to %(sum)d).") % {"sum": sum(weights)}
    if not call.categories.exists():
        return _("Add at least one category.")
    return None


@transaction.atomic
def call_advance(*, call: Call, actor: User, request: HttpRequest | None = None) -> Call:
    """Move a call to its next step: publish (rubric checked), close submissions, close scoring (every
    eligible proposal's mean score is stored), announce (every eligible proposal decided; groups told)."""
    call = call_flow.lock(call.pk)
    if call.status == C.DRAFT:
        problem = _weights_problem(call)
        if problem:
            raise CommunityError("invalid_rubric", problem)
        return call_flow.move(call, C.PUBLISHED, actor=actor, request=request)
    if call.status == C.PUBLISHED:
        return call_flow.move(call, C.SCORING, actor=actor, request=request)
    if call.status == C.SCORING:
        for proposal in call.proposals.filter(status=P.ELIGIBLE).annotate(mean=Avg("score_sheets__total")):
            Proposal.objects.filter(pk=proposal.pk).update(
                score=proposal.mean.quantize(TWO_PLACES) if proposal.mean is not None else None
            )
        return call_flow.move(call, C.DECIDING, actor=actor, request=request)
    if call.status == C.DECIDING:
        if call.proposals.filter(status=P.ELIGIBLE).exists():
            raise CommunityError("undecided", _("Decide every eligible proposal before announcing."))
        call_flow.move(call, C.ANNOUNCED, actor=actor, request=request)
        _announce(call, actor=actor)
        return call
    raise call_flow.refusal(call)


@dataclass(frozen=True)
class RankedProposal:
    proposal: Proposal
    rank: int
    score: Decimal | None
    evaluators: int
    requested: int
    # Whether it fits the budget when the ranking is filled greedily from the top.
    fits: bool


def _per_proposal(model: Any, aggregate: Any) -> Subquery:
    return Subquery(
        model.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(value=aggregate)
        .values("value")
    )


def ranking(call: Call) -> list[RankedProposal]:
    """Eligible and decided proposals by weighted mean score, highest first.

    Tie rule (documented for applicants): on an equal score, the smaller requested budget ranks first
    (more groups fit the budget), then the earlier submission. The budget is filled greedily down the
    ranking: a proposal fits when its requested total still fits beside those above it that fit.
    """
    rows = list(
        call.proposals.filter(status__in=SCORED_STATUSES)
        .select_related("category")
        .annotate(
            # Subqueries, not joins: joining the sheets and the budget lines would multiply each other.
            mean=_per_proposal(ScoreSheet, Avg("total")),
            sheets=_per_proposal(ScoreSheet, Count("pk")),
            requested=_per_proposal(BudgetLine, Sum("amount")),
        )
    )
    for row in rows:
        row.mean_score = row.score if row.score is not None else row.mean
    rows.sort(
        key=lambda p: (
            -(p.mean_score if p.mean_score is not None else Decimal(-1)),
            p.requested or 0,
            p.submitted_at or timezone.now(),
            p.pk,
        )
    )
    ranked: list[RankedProposal] = []
    used = 0
    for position, row in enumerate(rows, start=1):
        requested = row.requested or 0
        fits = row.mean_score is not None and used + requested <= call.budget
        if fits:
            used += requested
        score = row.mean_score.quantize(TWO_PLACES) if row.mean_score is not None else None
        ranked.append(RankedProposal(row, position, score, row.sheets, requested, fits))
    return ranked


def selected_total(call: Call) -> int:
    return call.proposals.filter(status=P.SELECTED).aggregate(total=Sum("grant_amount"))["total"] or 0


def proposal_decide(
    *,
    proposal: Proposal,
    actor: User,
    select: bool,
    grant_amount: int | None = None,
    space_hours_quota: int | None = None,
    request: HttpRequest | None = None,
) -> Proposal:
    """Select or not select. The call's row is locked first, so concurrent decisions on one call run one
    after the other and the selected total is counted with every earlier decision committed."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=proposal.call_id)
        proposal = proposal_flow.lock(proposal.pk)
        if call.status != C.DECIDING:
            raise CommunityError("invalid_transition", _("Decisions are made once scoring has closed."))
        if not select:
            return proposal_flow.move(
                proposal,
                P.NOT_SELECTED,
                actor=actor,
                request=request,
                decided_at=timezone.now(),
                decided_by=actor,
                grant_amount=0,
                space_hours_quota=0,
            )
        requested = proposal.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
        amount = requested if grant_amount is None else grant_amount
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int)
            or not 0 < amount <= call.per_project_limit
        ):
            raise CommunityError(
                "invalid_amount",
                _("Give a grant in whole won, above 0 and within %(limit)s won.")
                % {"limit": f"{call.per_project_limit:,}"},
            )
        hours = proposal.space_hours_wanted if space_hours_quota is None else space_hours_quota
        if isinstance(hours, bool) or not isinstance(hours, int) or not 0 <= hours <= 1000:
            raise CommunityError(
                "invalid_hours", _("Enter whole hours from 0 to 1000."), field="space_hours_quota"
            )
        proposal_flow.check(proposal, P.SELECTED)
        others = selected_total(call)
        if others + amount > call.budget:
            raise CommunityError(
                "over_budget",
                _("Selecting this grant (%(amount)s won) would pass the call's budget: %(left)s won is left.")
                % {"amount": f"{amount:,}", "left": f"{call.budget - others:,}"},
            )
        return proposal_flow.move(
            proposal,
            P.SELECTED,
            actor=actor,
            request=request,
            decided_at=timezone.now(),
            decided_by=actor,
            grant_amount=amount,
            space_hours_quota=hours,
        )


def _announce(call: Call, *, actor: User) -> None:
    """Tell each decided group with its score summary (the mean, its rank and the number of evaluators)."""
    ranked = ranking(call)
    for row in ranked:
        proposal = proposal_flow.lock(row.proposal.pk)
        proposal_flow.record(proposal, f"community.proposal.announced_{proposal.status}", actor=actor)
        tell_group(
            proposal,
            f"community.proposal.{proposal.status}",
            score=str(row.score if row.score is not None else "-"),
            rank=row.rank,
            ranked=len(ranked),
            evaluators=row.evaluators,
            grant=f"{proposal.grant_amount:,}",
        )


def score_summary(proposal: Proposal) -> dict[str, Any] | None:
    """What the group sees once results are announced: the mean, each criterion's mean, the evaluators."""
    if proposal.call.status != C.ANNOUNCED or proposal.status not in (P.SELECTED, P.NOT_SELECTED):
        return None
    per_criterion = list(
        Score.objects.filter(sheet__proposal=proposal)
        .values("criterion__name", "criterion__weight", "criterion__position", "criterion_id")
        .annotate(mean=Avg("points"))
        .order_by("criterion__position", "criterion_id")
    )
    return {
        "score": proposal.score,
        "evaluators": proposal.score_sheets.count(),
        "criteria": [
            {
                "name": row["criterion__name"],
                "weight": row["criterion__weight"],
                "mean": round(float(row["mean"]), 1),
            }
            for row in per_criterion
        ],
    }


def evaluation_queue(user: User) -> list[dict[str, Any]]:
    """The proposals an evaluator has to look at, with what they already did, in one query each."""
    calls = Call.objects.filter(appointments__user=user, status=C.SCORING)
    proposals = (
        Proposal.objects.filter(call__in=calls, status=P.ELIGIBLE)
        .select_related("call", "category")
        .annotate(
            declared=Count("conflicts", filter=Q(conflicts__evaluator=user), distinct=True),
            conflicted=Count(
                "conflicts", filter=Q(conflicts__evaluator=user, conflicts__conflicted=True), distinct=True
            ),
            scored=Count("score_sheets", filter=Q(score_sheets__evaluator=user), distinct=True),
        )
        .order_by("call_id", "submitted_at", "pk")
    )
    return list(proposals)
