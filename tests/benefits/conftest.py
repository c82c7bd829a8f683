"""Benefits fixtures: a reimbursement program (share 100 %, cap 300,000 won) and a recurring allowance
(3,000,000 won a year, quarterly) in district A (관악구), with approved applicants."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from benefits.models import BenefitKind, BenefitTerms
from benefits.services import award_for, bank_account_save
from programs.models import ApplicationStatus
from tests.factories import ApplicationFactory, HouseholdFactory, ProgramFactory


def approved_application(program, household=None):
    return ApplicationFactory(
        program=program,
        household=household or HouseholdFactory(),
        status=ApplicationStatus.APPROVED,
        decided_at=timezone.make_aware(timezone.datetime(2026, 1, 5, 10)),
    )


def receipt(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 receipt", content_type="application/pdf")


@pytest.fixture
def reimbursement(db) -> BenefitTerms:
    program = ProgramFactory(benefit_type="cash", budget=3_000_000, title="전세보증금 반환보증료 지원")
    return BenefitTerms.objects.create(
        program=program,
        kind=BenefitKind.REIMBURSEMENT,
        share_percent=100,
        cap=300_000,
        budget_line_code="BG-01",
    )


@pytest.fixture
def recurring(db) -> BenefitTerms:
    program = ProgramFactory(benefit_type="cash", budget=30_000_000, title="청년 가족돌봄 수당")
    return BenefitTerms.objects.create(
        program=program, kind=BenefitKind.RECURRING, amount=3_000_000, instalments_per_year=4
    )


@pytest.fixture
def award(reimbursement):
    return award_for(approved_application(reimbursement.program))


@pytest.fixture
def recurring_award(recurring):
    return award_for(approved_application(recurring.program))


def with_account(award, number: str = "110-123-456789", holder: str = "김하나"):
    bank_account_save(user=award.household.user, bank_code="088", number=number, holder=holder)
    return award


def claim_of(award, *, number: str = "R-1", amount: int = 250_000, issuer: str = "HUG", day=date(2026, 3, 2)):
    from benefits.services import claim_submit

    return claim_submit(
        user=award.household.user,
        award=award,
        issuer=issuer,
        receipt_number=number,
        receipt_date=day,
        receipt_amount=amount,
        upload=receipt(),
    )
