"""The ledger under concurrency (PostgreSQL: real row locks, real threads, one connection each)."""

from __future__ import annotations

from datetime import date

import pytest

from benefits.models import BenefitTerms, Payment, PaymentStatus
from benefits.services import (
    BenefitsError,
    award_for,
    batch_create,
    claim_approve,
    execution,
    instalments_schedule,
    payments_approve_due,
)
from tests.benefits.conftest import approved_application, claim_of, with_account
from tests.concurrency import run_together
from tests.factories import GWANAK, district

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_thirty_simultaneous_approvals_never_pass_the_budget(reimbursement):
    program = reimbursement.program
    program.budget = 1_000_000
    program.save()
    claims = [claim_of(award_for(approved_application(program)), number=f"R-{i}") for i in range(30)]

    results = run_together([lambda c=c: claim_approve(claim=c, amount=150_000, actor=None) for c in claims])

    refusals = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, BenefitsError) and r.code == "over_budget" for r in refusals), refusals[:3]
    assert len(refusals) == 24  # 6 × 150,000 = 900,000 fit; a 7th would pass 1,000,000
    figures = execution(BenefitTerms.objects.select_related("program").get(pk=reimbursement.pk))
    assert figures.committed + figures.paid == 900_000 <= program.budget


def test_two_batches_built_at_once_send_each_payment_once(recurring):
    for _ in range(20):
        with_account(award_for(approved_application(recurring.program)))
    instalments_schedule(terms=recurring, year=2026)
    payments_approve_due(terms=recurring, until=date(2026, 12, 31), actor=None)
    approved = Payment.objects.filter(status=PaymentStatus.APPROVED).count()
    assert approved == 40  # the budget (30,000,000) holds 40 × 750,000
    gwanak = district(GWANAK)

    results = run_together([lambda: batch_create(district=gwanak, actor=None) for _ in range(2)])

    batches = [r for r in results if not isinstance(r, Exception)]
    assert sum(b.payment_count for b in batches) == approved
    assert all(
        isinstance(r, BenefitsError) and r.code == "nothing_to_send" for r in results if r not in batches
    )
    assert Payment.objects.filter(status=PaymentStatus.SENT).count() == approved
    assert Payment.objects.filter(status=PaymentStatus.APPROVED).count() == 0
