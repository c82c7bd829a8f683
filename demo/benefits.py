"""Demo cash benefits: the terms of Jung-gu's 전세보증금 반환보증료 지원 (reimbursement of the premium,
100 % up to 300,000 won, as its benefit text says) and Gwangju Seo-gu's 청년 가족돌봄 수당 (3,000,000 won a
year, paid quarterly: 750,000 won each), with plausible budgets (the seeds give none: places × the most
one household receives — 300 × 300,000 and 50 × 3,000,000 won); and for resident2@hana.demo (중구, jeonse)
an approved application, a bank account, last year's claim approved and paid, and this year's claim
waiting for caseworker.junggu@hana.demo (the cap leaves 120,000 won of its 150,000).

Idempotent: terms are matched by program, the resident's rows are written only when they have none.
Claims, payments and the batch go through benefits.services (audit events, notifications, budget lock).
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from benefits.models import BankAccount, BenefitKind, BenefitTerms, Claim
from benefits.services import (
    award_for,
    bank_account_save,
    batch_create,
    batch_mark_paid,
    claim_approve,
    claim_submit,
)
from households.models import Household
from portal.models import User
from programs.models import Application, ApplicationStatus, Program

JEONSE_SLUG = "junggu-jeonse-guarantee-fee"
CAREGIVER_SLUG = "gwangju-seogu-youth-caregiver-allowance"

TERMS = {
    JEONSE_SLUG: {
        "kind": BenefitKind.REIMBURSEMENT,
        "share_percent": 100,
        "cap": 300_000,
        "budget_line_name": "1인가구 전세보증금 반환보증료 지원",
        "budget_line_code": "중구-복지정책-1인가구-03",
        "budget": 300 * 300_000,
    },
    CAREGIVER_SLUG: {
        "kind": BenefitKind.RECURRING,
        "amount": 3_000_000,
        "instalments_per_year": 4,
        "reverify_documents": True,
        "budget_line_name": "청년 가족돌봄 수당",
        "budget_line_code": "서구-복지정책-희망복지-07",
        "budget": 50 * 3_000_000,
    },
}


def load_benefits(*, today: date | None = None) -> None:
    today = today or timezone.localdate()
    for slug, spec in TERMS.items():
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            continue
        spec = dict(spec)
        budget = spec.pop("budget")
        BenefitTerms.objects.get_or_create(program=program, defaults=spec)
        if program.budget is None:
            Program.objects.filter(pk=program.pk).update(budget=budget)
    _resident_claims(today)


def _resident_claims(today: date) -> None:
    program = Program.objects.filter(slug=JEONSE_SLUG).select_related("district").first()
    user = User.objects.filter(email="resident2@hana.demo").first()
    household = Household.objects.filter(user=user).first() if user else None
    caseworker = User.objects.filter(email="caseworker.junggu@hana.demo").first()
    if program is None or household is None or caseworker is None:
        return
    application = Application.objects.filter(program=program, household=household).first()
    if application is None:
        decided = timezone.now() - timezone.timedelta(days=400)
        application = Application.objects.create(
            program=program,
            household=household,
            district=program.district,
            status=ApplicationStatus.APPROVED,
            submitted_at=decided - timezone.timedelta(days=7),
            decided_at=decided,
            decided_by=caseworker,
        )
        Application.objects.filter(pk=application.pk).update(
            reference=f"HN-{timezone.localtime(decided).year}-{application.pk:06d}"
        )
    if application.status != ApplicationStatus.APPROVED:
        return
    award = award_for(application)
    if not BankAccount.objects.filter(household=household).exists():
        bank_account_save(
            user=user, bank_code="020", number="1002-345-678901", holder=household.name or "최영수"
        )
    if Claim.objects.filter(award=award).exists():
        return
    last_year = claim_submit(
        user=user,
        award=award,
        issuer="주택도시보증공사(HUG)",
        receipt_number=f"HUG-{today.year - 1}-0412",
        receipt_date=date(today.year - 1, 4, 12),
        receipt_amount=180_000,
        upload=_receipt("hug-premium-last-year.pdf"),
    )
    claim_approve(claim=last_year, amount=180_000, actor=caseworker)
    batch = batch_create(district=program.district, actor=caseworker)
    batch_mark_paid(batch=batch, actor=caseworker)
    claim_submit(
        user=user,
        award=award,
        issuer="주택도시보증공사(HUG)",
        receipt_number=f"HUG-{today.year}-0407",
        receipt_date=min(date(today.year, 4, 7), today),
        receipt_amount=150_000,
        upload=_receipt("hug-premium.pdf"),
    )


def _receipt(name: str) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% demo receipt: HUG deposit-return guarantee premium\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")
