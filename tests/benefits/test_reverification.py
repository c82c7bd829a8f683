"""Re-verification: asked once per period, eligibility re-run with current rules, staff decide, a stopped
award's unsent payments cancelled; bank accounts encrypted; account deletion leaves no personal data."""

from __future__ import annotations

from datetime import date

import pytest

from benefits.models import AwardStatus, BankAccount, Payment, PaymentStatus, Reverification
from benefits.services import (
    BenefitsError,
    instalments_schedule,
    payment_approve,
    reverification_answer,
    reverification_decide,
    reverifications_request_due,
)
from portal.models import Notification
from tests.benefits.conftest import with_account
from tests.factories import add_rules

pytestmark = pytest.mark.django_db


def test_asked_once_before_the_period(recurring_award):
    assert reverifications_request_due(today=date(2026, 3, 10)) == 1
    assert reverifications_request_due(today=date(2026, 3, 11)) == 0
    row = Reverification.objects.get()
    assert row.period == "2026-Q2"
    assert Notification.objects.filter(template="benefits.reverification.requested").exists()


def test_unchanged_and_still_eligible_is_confirmed(recurring_award):
    reverifications_request_due(today=date(2026, 3, 10))
    row = reverification_answer(
        user=recurring_award.household.user, reverification=Reverification.objects.get(), changed=False
    )
    assert row.status == "confirmed" and row.eligibility_verdict == "eligible"


def test_no_longer_eligible_then_staff_stop_and_payments_cancel(recurring_award, caseworker_a):
    household = recurring_award.household
    instalments_schedule(terms=recurring_award.terms, year=2026)
    payment_approve(payment=Payment.objects.filter(award=recurring_award).first(), actor=None)
    # The rules changed since the approval: income now must be under 1,000,000 won.
    add_rules(
        recurring_award.terms.program, {"field": "monthly_income", "operator": "lte", "value": 1_000_000}
    )
    reverifications_request_due(today=date(2026, 3, 10))
    row = Reverification.objects.get()
    with pytest.raises(BenefitsError) as missing:
        reverification_answer(user=household.user, reverification=row, changed=True, changes="")
    assert missing.value.field == "changes"
    row = reverification_answer(user=household.user, reverification=row, changed=True, changes="이직")
    assert row.status == "needs_decision"
    assert row.eligibility_lines and row.eligibility_lines[0]["passed"] is False
    reverification_decide(reverification=row, carry_on=False, reason="소득 기준 초과", actor=caseworker_a)
    recurring_award.refresh_from_db()
    assert recurring_award.status == AwardStatus.STOPPED
    assert set(Payment.objects.filter(award=recurring_award).values_list("status", flat=True)) == {
        PaymentStatus.CANCELLED
    }
    assert instalments_schedule(terms=recurring_award.terms, year=2027) == 0


def test_staff_may_continue(recurring_award, caseworker_a):
    add_rules(recurring_award.terms.program, {"field": "monthly_income", "operator": "lte", "value": 1})
    reverifications_request_due(today=date(2026, 3, 10))
    row = reverification_answer(
        user=recurring_award.household.user, reverification=Reverification.objects.get(), changed=False
    )
    reverification_decide(reverification=row, carry_on=True, reason="일시적 소득", actor=caseworker_a)
    recurring_award.refresh_from_db()
    assert recurring_award.status == AwardStatus.ACTIVE


def test_someone_else_cannot_answer(recurring_award, resident):
    reverifications_request_due(today=date(2026, 3, 10))
    with pytest.raises(BenefitsError) as refused:
        reverification_answer(user=resident, reverification=Reverification.objects.get(), changed=False)
    assert refused.value.code == "not_found"


def test_bank_account_is_encrypted_at_rest(recurring_award):
    with_account(recurring_award, number="110-123-456789", holder="김하나")
    account = BankAccount.objects.get()
    assert "456789" not in account.sealed and "김하나" not in account.sealed
    assert account.masked == "088 ****6789"


def test_a_periods_instalment_waits_for_its_reverification(recurring_award, caseworker_a):
    from benefits.services import payments_approve_due

    instalments_schedule(terms=recurring_award.terms, year=2026)
    reverifications_request_due(today=date(2026, 3, 10))  # asks for 2026-Q2
    q2 = Payment.objects.get(award=recurring_award, period="2026-Q2")
    with pytest.raises(BenefitsError) as waiting:
        payment_approve(payment=q2, actor=None)
    assert waiting.value.code == "reverification_open"
    count, _total = payments_approve_due(terms=recurring_award.terms, until=date(2026, 6, 30), actor=None)
    assert count == 1  # Q1 only
    reverification_answer(
        user=recurring_award.household.user, reverification=Reverification.objects.get(), changed=False
    )
    assert payment_approve(payment=q2, actor=None).status == PaymentStatus.APPROVED
