"""The ledger's rules: claims within share and cap, duplicates refused by the database, payments sent
once, the budget never passed, instalments scheduled once, amounts in whole won."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from benefits.exports import batch_csv
from benefits.models import BenefitTerms, Claim, ClaimStatus, Payment, PaymentStatus
from benefits.services import (
    BenefitsError,
    batch_create,
    batch_mark_paid,
    claim_approve,
    claim_reject,
    execution,
    instalments_schedule,
    payment_approve,
    payment_settle,
    payments_approve_due,
)
from portal.models import AuditEvent
from tests.benefits.conftest import approved_application, claim_of, with_account
from tests.factories import GWANAK, district

pytestmark = pytest.mark.django_db


def test_reimbursement_never_exceeds_share_or_cap(award):
    terms = award.terms
    terms.share_percent = 80
    terms.save()
    first = claim_of(award, number="R-1", amount=250_000, day=date(2025, 3, 2))
    with pytest.raises(BenefitsError) as refused:
        claim_approve(claim=first, amount=200_001, actor=None)  # 80 % of 250,000 is 200,000
    assert refused.value.code == "over_cap"
    claim_approve(claim=first, amount=200_000, actor=None)
    second = claim_of(award, number="R-2", amount=400_000, day=date(2026, 3, 2))
    # The cap (300,000) leaves 100,000 however big the receipt.
    with pytest.raises(BenefitsError) as refused:
        claim_approve(claim=second, amount=100_001, actor=None)
    assert refused.value.code == "over_cap" and "100,000" in refused.value.message
    payment = claim_approve(claim=second, amount=100_000, actor=None)
    assert payment.status == PaymentStatus.APPROVED and payment.amount == 100_000
    approved = sum(
        Claim.objects.filter(award=award, status="approved").values_list("approved_amount", flat=True)
    )
    assert approved == terms.cap


def test_duplicate_receipt_or_period_is_refused_with_a_message(award):
    claim_of(award, number="R-1", issuer="SGI 서울보증", day=date(2026, 3, 2))
    with pytest.raises(BenefitsError) as same_receipt:
        claim_of(award, number="R-1", issuer="sgi서울보증", day=date(2025, 3, 2))
    assert same_receipt.value.code == "duplicate" and same_receipt.value.field == "receipt_number"
    with pytest.raises(BenefitsError) as same_year:
        claim_of(award, number="R-9", day=date(2026, 5, 2))
    assert same_year.value.code == "duplicate" and same_year.value.field == "receipt_date"
    assert Claim.objects.count() == 1


def test_the_database_itself_refuses_a_second_claim_for_a_receipt(award):
    claim = claim_of(award)
    twin = Claim.objects.get(pk=claim.pk)
    twin.pk, twin.period = None, "2020"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_rejected_claim_frees_its_receipt(award):
    claim = claim_reject(claim=claim_of(award), reason="흐릿한 사진", actor=None)
    assert claim.status == ClaimStatus.REJECTED
    assert claim_of(award).status == ClaimStatus.SUBMITTED


def test_budget_is_never_passed(reimbursement):
    reimbursement.program.budget = 500_000
    reimbursement.program.save()
    from benefits.services import award_for

    claims = [
        claim_of(award_for(approved_application(reimbursement.program)), number=f"R-{i}") for i in range(3)
    ]
    claim_approve(claim=claims[0], amount=250_000, actor=None)
    claim_approve(claim=claims[1], amount=250_000, actor=None)
    with pytest.raises(BenefitsError) as refused:
        claim_approve(claim=claims[2], amount=1, actor=None)
    assert refused.value.code == "over_budget"
    figures = execution(BenefitTerms.objects.get(pk=reimbursement.pk))
    assert (figures.committed, figures.paid, figures.remaining) == (500_000, 0, 0)


def test_quarterly_instalments_add_up_and_are_scheduled_once(recurring_award):
    terms = recurring_award.terms
    assert instalments_schedule(terms=terms, year=2026) == 4
    assert instalments_schedule(terms=terms, year=2026) == 0  # idempotent
    rows = list(Payment.objects.filter(award=recurring_award).values_list("period", "amount", "due_on"))
    assert [r[0] for r in rows] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert sum(r[1] for r in rows) == 3_000_000
    assert rows[1][2] == date(2026, 4, 25)


def test_uneven_year_amount_keeps_every_won(recurring):
    recurring.amount, recurring.instalments_per_year = 1_000_000, 12
    assert sum(amount for _p, _m, amount in recurring.periods(2026)) == 1_000_000


def test_bulk_approval_stops_at_the_budget(recurring):
    recurring.program.budget = 2_250_000 + 100
    recurring.program.save()
    for _ in range(2):
        approved_application(recurring.program)
    instalments_schedule(terms=recurring, year=2026)  # 8 × 750,000
    count, total = payments_approve_due(terms=recurring, until=date(2026, 12, 31), actor=None)
    assert (count, total) == (3, 2_250_000)
    assert execution(BenefitTerms.objects.get(pk=recurring.pk)).committed == 2_250_000
    assert AuditEvent.objects.filter(action="benefits.payments.approved").count() == 1


def test_a_payment_is_sent_once_then_paid_or_returned(recurring_award):
    with_account(recurring_award)
    instalments_schedule(terms=recurring_award.terms, year=2026)
    q1, q2 = Payment.objects.filter(award=recurring_award)[:2]
    payment_approve(payment=q1, actor=None)
    payment_approve(payment=q2, actor=None)
    gwanak = district(GWANAK)
    batch = batch_create(district=gwanak, actor=None)
    assert (batch.payment_count, batch.total) == (2, 1_500_000)
    with pytest.raises(BenefitsError) as nothing:
        batch_create(district=gwanak, actor=None)
    assert nothing.value.code == "nothing_to_send"
    payment_settle(payment=q2, paid=False, reason="계좌 해지", actor=None)
    assert batch_mark_paid(batch=batch, actor=None) == 1
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert (q1.status, q2.status) == (PaymentStatus.PAID, PaymentStatus.RETURNED)
    figures = execution(BenefitTerms.objects.get(pk=recurring_award.terms_id))
    assert (figures.committed, figures.paid) == (0, 750_000)
    with pytest.raises(BenefitsError):
        payment_settle(payment=q1, paid=False, reason="x", actor=None)


def test_payments_without_a_bank_account_wait(recurring_award):
    instalments_schedule(terms=recurring_award.terms, year=2026)
    payment_approve(payment=Payment.objects.filter(award=recurring_award).first(), actor=None)
    with pytest.raises(BenefitsError):
        batch_create(district=district(GWANAK), actor=None)


def test_transfer_file_has_a_control_total_and_masks_without_permission(recurring_award):
    with_account(recurring_award, number="110-123-456789", holder="김하나")
    instalments_schedule(terms=recurring_award.terms, year=2026)
    for payment in Payment.objects.filter(award=recurring_award):
        payment_approve(payment=payment, actor=None)
    batch = batch_create(district=district(GWANAK), actor=None)
    masked = "".join(batch_csv(batch, unmasked=False)).lstrip("\ufeff").splitlines()
    assert masked[0] == "bank_code,account_number,account_holder,amount,memo"
    assert masked[1].startswith("088,****6789,김*나,750000,")
    assert masked[-1] == f"TOTAL,4,,3000000,{batch}"
    assert "110123456789" not in "".join(masked)
    full = "".join(batch_csv(batch, unmasked=True))
    assert "088,110123456789,김하나,750000," in full
