"""Reimbursement claims: the approved resident sends a receipt and its figures; staff approve an amount
within the share and the cap (or reject with a reason). An approved claim becomes an approved payment,
committed against the budget in the same transaction."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from programs.answers import ALLOWED_UPLOAD_TYPES, upload_problem

from ..models import Award, AwardStatus, BenefitKind, Claim, ClaimStatus, Payment, PaymentStatus
from .base import BenefitsError, claim_flow, payment_flow, tell
from .budget import check_commitment, lock_terms

S = ClaimStatus


def issuer_key(issuer: str) -> str:
    return "".join(issuer.split()).upper()


def cap_remaining(award: Award) -> int:
    """What the award's cap still allows (approved claims count; submitted ones do not yet)."""
    approved = award.claims.filter(status=S.APPROVED).aggregate(total=Sum("approved_amount", default=0))[
        "total"
    ]
    return max((award.terms.cap or 0) - approved, 0)


def claim_limit(claim: Claim) -> int:
    """The most staff may approve: the share of the receipt, and no more than the cap leaves."""
    return min(claim.award.terms.reimbursable(claim.receipt_amount), cap_remaining(claim.award))


def claim_submit(
    *,
    user: User,
    award: Award,
    issuer: str,
    receipt_number: str,
    receipt_date: date,
    receipt_amount: int,
    upload: UploadedFile,
    request: HttpRequest | None = None,
) -> Claim:
    if award.household.user_id != user.pk:
        raise BenefitsError("not_found", _("Benefit not found."))
    if award.terms.kind != BenefitKind.REIMBURSEMENT:
        raise BenefitsError("not_reimbursement", _("This benefit is not paid against receipts."))
    if award.status != AwardStatus.ACTIVE:
        raise BenefitsError("stopped", _("This benefit has been stopped."))
    if receipt_amount <= 0:
        raise BenefitsError(
            "invalid_amount", _("Enter the amount on the receipt, in won."), field="receipt_amount"
        )
    if receipt_date > timezone.localdate():
        raise BenefitsError(
            "invalid_date", _("The receipt date cannot be in the future."), field="receipt_date"
        )
    problem = upload_problem(upload)
    if problem:
        raise BenefitsError("invalid_file", problem, field="receipt")
    suffix = upload.name[upload.name.rfind(".") :].lower()
    claim = Claim(
        award=award,
        district_id=award.district_id,
        period=str(receipt_date.year),
        issuer=issuer.strip(),
        issuer_key=issuer_key(issuer),
        receipt_number=receipt_number.strip(),
        receipt_date=receipt_date,
        receipt_amount=receipt_amount,
        original_name=upload.name[:200],
        content_type=ALLOWED_UPLOAD_TYPES[suffix],
    )
    live = Claim.objects.exclude(status=S.REJECTED)
    if live.filter(issuer_key=claim.issuer_key, receipt_number=claim.receipt_number).exists():
        raise _duplicate_receipt()
    if live.filter(award=award, period=claim.period).exists():
        raise _duplicate_period()
    try:
        with transaction.atomic():
            # The unique constraints decide (two tabs, two devices): a duplicate never gets a row.
            claim.receipt = upload
            claim.save()
            claim_flow.record(claim, "benefits.claim.submitted", actor=user, request=request)
    except IntegrityError as exc:
        if claim.receipt:
            claim.receipt.delete(save=False)
        raise _duplicate(exc) from exc
    return claim


def _duplicate_receipt() -> BenefitsError:
    return BenefitsError("duplicate", _("This receipt has already been claimed."), field="receipt_number")


def _duplicate_period() -> BenefitsError:
    return BenefitsError("duplicate", _("You have already claimed for this year."), field="receipt_date")


def _duplicate(exc: IntegrityError) -> BenefitsError:
    """A duplicate the checks above did not see (sent twice at the same moment): the database refused."""
    if "claim_one_per_receipt" in str(exc) or "issuer_key" in str(exc):
        return _duplicate_receipt()
    return _duplicate_period()


@transaction.atomic
def claim_approve(
    *, claim: Claim, amount: int, actor: User | None, request: HttpRequest | None = None
) -> Payment:
    """Approve `amount` won of the claim: within the cap, within the budget (both checked under the
    program's budget lock, so concurrent approvals cannot both take the last won)."""
    claim = claim_flow.lock(claim.pk)
    claim_flow.check(claim, S.APPROVED)
    if claim.award.status != AwardStatus.ACTIVE:
        raise BenefitsError("stopped", _("This benefit has been stopped."))
    terms = lock_terms(claim.award.terms_id)
    if amount <= 0:
        raise BenefitsError("invalid_amount", _("Enter an amount of at least 1 won."))
    limit = claim_limit(claim)
    if amount > limit:
        raise BenefitsError(
            "over_cap", _("At most %(limit)s won can be approved for this receipt.") % {"limit": f"{limit:,}"}
        )
    check_commitment(terms, amount)
    now = timezone.now()
    claim_flow.move(
        claim,
        S.APPROVED,
        actor=actor,
        request=request,
        approved_amount=amount,
        decided_by=actor,
        decided_at=now,
    )
    payment = Payment.objects.create(
        award=claim.award,
        terms=terms,
        district_id=claim.district_id,
        claim=claim,
        period=f"C{claim.pk}",
        amount=amount,
        due_on=timezone.localdate(),
        status=PaymentStatus.APPROVED,
        approved_at=now,
    )
    payment_flow.record(payment, "benefits.payment.approved", actor=actor, request=request, claim=claim.pk)
    tell(
        claim_flow,
        claim,
        "benefits.claim.approved",
        user=claim.award.household.user,
        amount=f"{amount:,}",
        program=claim.award.terms.program.title,
    )
    return payment


@transaction.atomic
def claim_reject(
    *, claim: Claim, reason: str, actor: User | None, request: HttpRequest | None = None
) -> Claim:
    if not reason.strip():
        raise BenefitsError("reason_required", _("Say why the claim is rejected."))
    claim = claim_flow.lock(claim.pk)
    claim_flow.move(
        claim,
        S.REJECTED,
        actor=actor,
        request=request,
        decision_reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    tell(
        claim_flow,
        claim,
        "benefits.claim.rejected",
        user=claim.award.household.user,
        reason=claim.decision_reason,
        program=claim.award.terms.program.title,
    )
    return claim
