"""The benefits part of the demo data: terms, budgets and resident2's claims, written once."""

from __future__ import annotations

import pytest

from benefits.models import BankAccount, BenefitTerms, Claim, Payment
from demo.loader import load_demo
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_benefits_load_once():
    load_demo()
    counts = (
        BenefitTerms.objects.count(),
        Claim.objects.count(),
        Payment.objects.count(),
        BankAccount.objects.count(),
        AuditEvent.objects.filter(action__startswith="benefits.").count(),
    )
    load_demo()
    assert counts == (
        BenefitTerms.objects.count(),
        Claim.objects.count(),
        Payment.objects.count(),
        BankAccount.objects.count(),
        AuditEvent.objects.filter(action__startswith="benefits.").count(),
    )
    jeonse = BenefitTerms.objects.get(program__slug="junggu-jeonse-guarantee-fee")
    assert (jeonse.kind, jeonse.cap, jeonse.program.budget) == ("reimbursement", 300_000, 90_000_000)
    caregiver = BenefitTerms.objects.get(program__slug="gwangju-seogu-youth-caregiver-allowance")
    assert caregiver.periods(2026)[0][2] == 750_000
    assert sorted(Claim.objects.values_list("status", flat=True)) == ["approved", "submitted"]
    assert list(Payment.objects.values_list("status", "amount")) == [("paid", 180_000)]
