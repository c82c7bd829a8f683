"""Screening, conflicts of interest, independent scoring, ranking with its tie rule, decisions within
the budget, and the announcement with the score summary."""

from __future__ import annotations

from decimal import Decimal

import pytest

from community.models import Appointment, CallStatus, ProposalStatus, ScoreSheet
from community.services import (
    CommunityError,
    call_advance,
    conflict_declare,
    proposal_decide,
    proposal_screen,
    ranking,
    score_summary,
    scores_visible,
    scoresheet_submit,
    selected_total,
)
from portal.models import Notification
from tests.factories import HouseholdFactory

from .conftest import submitted

pytestmark = pytest.mark.django_db


def points(call, first: int, second: int) -> dict[str, int]:
    one, two = call.criteria.order_by("position")
    return {str(one.pk): first, str(two.pk): second}


def scoring(call, proposals, caseworker):
    for proposal in proposals:
        proposal_screen(proposal=proposal, actor=caseworker, eligible=True)
    call_advance(call=call, actor=caseworker)  # published → scoring
    call.refresh_from_db()


def score(user, proposal, first, second):
    conflict_declare(user=user, proposal_id=proposal.pk, conflicted=False)
    return scoresheet_submit(user=user, proposal_id=proposal.pk, scores=points(proposal.call, first, second))


def test_weighted_total_and_mean(call, caseworker_a, citizen_evaluator, staff_evaluator):
    proposal = submitted(call)
    scoring(call, [proposal], caseworker_a)
    sheet = score(citizen_evaluator, proposal, 10, 5)  # 10/10×60 + 5/10×40 = 80
    assert sheet.total == Decimal("80.00")
    score(staff_evaluator, proposal, 5, 5)  # 50
    call_advance(call=call, actor=caseworker_a)
    proposal.refresh_from_db()
    assert proposal.score == Decimal("65.00")


def test_nobody_sees_scores_before_sending_their_own(call, caseworker_a, citizen_evaluator, manager_a):
    other = HouseholdFactory(district=call.district).user
    Appointment.objects.create(call=call, user=other)
    proposal = submitted(call)
    scoring(call, [proposal], caseworker_a)
    score(citizen_evaluator, proposal, 8, 8)
    assert scores_visible(citizen_evaluator, proposal)
    assert not scores_visible(other, proposal)
    # District staff who do not evaluate wait for scoring to close.
    assert not scores_visible(manager_a, proposal)
    assert not scores_visible(caseworker_a, proposal)
    call_advance(call=call, actor=caseworker_a)
    proposal.call.refresh_from_db()
    assert scores_visible(manager_a, proposal)
    assert not scores_visible(other, proposal)  # a citizen who never scored


def test_a_conflicted_evaluator_cannot_score(call, caseworker_a, citizen_evaluator):
    proposal = submitted(call)
    scoring(call, [proposal], caseworker_a)
    conflict_declare(user=citizen_evaluator, proposal_id=proposal.pk, conflicted=True)
    with pytest.raises(CommunityError) as refused:
        scoresheet_submit(user=citizen_evaluator, proposal_id=proposal.pk, scores=points(call, 5, 5))
    assert refused.value.code == "conflicted"
    assert not ScoreSheet.objects.exists()


def test_scoring_needs_a_declaration_and_a_whole_sheet_once(call, caseworker_a, citizen_evaluator):
    proposal = submitted(call)
    scoring(call, [proposal], caseworker_a)
    with pytest.raises(CommunityError) as refused:
        scoresheet_submit(user=citizen_evaluator, proposal_id=proposal.pk, scores=points(call, 5, 5))
    assert refused.value.code == "conflict_first"
    conflict_declare(user=citizen_evaluator, proposal_id=proposal.pk, conflicted=False)
    one = call.criteria.first()
    for bad in ({str(one.pk): 5}, points(call, 11, 5), points(call, -1, 5), "nonsense"):
        with pytest.raises(CommunityError) as refused:
            scoresheet_submit(user=citizen_evaluator, proposal_id=proposal.pk, scores=bad)
        assert refused.value.code == "invalid_scores"
    scoresheet_submit(user=citizen_evaluator, proposal_id=proposal.pk, scores=points(call, 5, 5))
    with pytest.raises(CommunityError) as refused:
        scoresheet_submit(user=citizen_evaluator, proposal_id=proposal.pk, scores=points(call, 9, 9))
    assert refused.value.code == "already_scored"


def test_someone_not_appointed_cannot_score(call, caseworker_a):
    proposal = submitted(call)
    scoring(call, [proposal], caseworker_a)
    with pytest.raises(CommunityError) as refused:
        conflict_declare(user=caseworker_a, proposal_id=proposal.pk, conflicted=False)
    assert refused.value.code == "not_found"


def test_ineligible_needs_a_reason_and_tells_the_group(call, caseworker_a):
    proposal = submitted(call)
    with pytest.raises(CommunityError):
        proposal_screen(proposal=proposal, actor=caseworker_a, eligible=False)
    proposal_screen(proposal=proposal, actor=caseworker_a, eligible=False, reason="사업 목적 불일치")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INELIGIBLE
    assert Notification.objects.filter(user=proposal.lead, template="community.proposal.ineligible").exists()


def test_ranking_tie_rule_and_greedy_fit(call, caseworker_a, citizen_evaluator):
    # Budget 10,000,000: A (90 pts, 5.0M), B and C tie at 70 (C asks less, so ranks first), D (60, 1M).
    a = submitted(call, amount=5_000_000)
    b = submitted(call, amount=4_000_000)
    c = submitted(call, amount=3_000_000)
    d = submitted(call, amount=1_000_000)
    scoring(call, [a, b, c, d], caseworker_a)
    score(citizen_evaluator, a, 9, 9)
    score(citizen_evaluator, b, 7, 7)
    score(citizen_evaluator, c, 7, 7)
    score(citizen_evaluator, d, 6, 6)
    call_advance(call=call, actor=caseworker_a)
    rows = ranking(call)
    assert [row.proposal.pk for row in rows] == [a.pk, c.pk, b.pk, d.pk]
    assert [row.fits for row in rows] == [True, True, False, True]


def test_selection_never_passes_the_budget_and_groups_are_told(call, caseworker_a, citizen_evaluator):
    a = submitted(call, amount=5_000_000)
    b = submitted(call, amount=5_000_000)
    c = submitted(call, amount=1_000_000)
    scoring(call, [a, b, c], caseworker_a)
    for proposal in (a, b, c):
        score(citizen_evaluator, proposal, 8, 6)
    with pytest.raises(CommunityError):  # not before scoring closes
        proposal_decide(proposal=a, actor=caseworker_a, select=True)
    call_advance(call=call, actor=caseworker_a)
    proposal_decide(proposal=a, actor=caseworker_a, select=True)
    proposal_decide(proposal=b, actor=caseworker_a, select=True, grant_amount=4_500_000)
    with pytest.raises(CommunityError) as refused:
        proposal_decide(proposal=c, actor=caseworker_a, select=True)
    assert refused.value.code == "over_budget"
    assert selected_total(call) == 9_500_000
    with pytest.raises(CommunityError) as refused:  # every eligible proposal decided first
        call_advance(call=call, actor=caseworker_a)
    assert refused.value.code == "undecided"
    proposal_decide(proposal=c, actor=caseworker_a, select=False)
    call_advance(call=call, actor=caseworker_a)
    call.refresh_from_db()
    assert call.status == CallStatus.ANNOUNCED
    told = Notification.objects.filter(user=a.lead, template="community.proposal.selected")
    assert told.exists()  # one per channel
    assert all(n.context["score"] == "72.00" and n.context["grant"] == "5,000,000" for n in told)
    assert Notification.objects.filter(user=c.lead, template="community.proposal.not_selected").exists()
    c.refresh_from_db()
    summary = score_summary(c)
    assert summary["evaluators"] == 1
    assert [row["mean"] for row in summary["criteria"]] == [8.0, 6.0]


def test_publishing_needs_weights_summing_to_100(caseworker_a):
    from .conftest import make_call

    draft_call = make_call(status=CallStatus.DRAFT)
    draft_call.criteria.first().delete()
    with pytest.raises(CommunityError) as refused:
        call_advance(call=draft_call, actor=caseworker_a)
    assert refused.value.code == "invalid_rubric"
