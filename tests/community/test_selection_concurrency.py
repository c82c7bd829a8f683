"""Two staff selecting at once never pass a call's budget (PostgreSQL: real row locks, real threads)."""

from __future__ import annotations

import pytest

from community.models import CallStatus, Proposal, ProposalStatus
from community.services import CommunityError, proposal_decide, proposal_screen, selected_total
from tests.concurrency import run_together

from .conftest import make_call, submitted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_staff_selecting_at_once_stay_within_the_budget(caseworker_a, manager_a):
    # Budget for one of the two 6,000,000 proposals, not both.
    call = make_call(budget=10_000_000, per_project_limit=6_000_000)
    first = submitted(call, amount=6_000_000)
    second = submitted(call, amount=6_000_000)
    for proposal in (first, second):
        proposal_screen(proposal=proposal, actor=caseworker_a, eligible=True)
    type(call).objects.filter(pk=call.pk).update(status=CallStatus.DECIDING)

    results = run_together(
        [
            lambda: proposal_decide(proposal=first, actor=caseworker_a, select=True),
            lambda: proposal_decide(proposal=second, actor=manager_a, select=True),
        ]
    )

    refusals = [r for r in results if isinstance(r, Exception)]
    assert len(refusals) == 1
    assert isinstance(refusals[0], CommunityError) and refusals[0].code == "over_budget"
    assert Proposal.objects.filter(status=ProposalStatus.SELECTED).count() == 1
    assert selected_total(call) == 6_000_000
