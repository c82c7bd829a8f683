"""The resident's bank account (collected for paying benefits only) and account deletion."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Household
from portal.audit import audit_log
from portal.models import User

from .. import crypto
from ..models import (
    Award,
    AwardStatus,
    BankAccount,
    Claim,
    ClaimStatus,
    Payment,
    PaymentStatus,
    Reverification,
)
from .base import BenefitsError

# The banks' three-digit codes (금융결제원 은행코드) a district's transfer file uses.
BANKS = {
    "002": "KDB산업은행",
    "003": "IBK기업은행",
    "004": "KB국민은행",
    "011": "NH농협은행",
    "020": "우리은행",
    "023": "SC제일은행",
    "031": "iM뱅크",
    "032": "부산은행",
    "034": "광주은행",
    "071": "우체국",
    "081": "하나은행",
    "088": "신한은행",
    "089": "케이뱅크",
    "090": "카카오뱅크",
    "092": "토스뱅크",
}


def normalise_number(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


@transaction.atomic
def bank_account_save(
    *, user: User, bank_code: str, number: str, holder: str, request: HttpRequest | None = None
) -> BankAccount:
    household = Household.objects.filter(user=user).first()
    if household is None:
        raise BenefitsError("not_found", _("Fill in your profile first."))
    if bank_code not in BANKS:
        raise BenefitsError("invalid_bank", _("Choose a bank from the list."), field="bank_code")
    digits = normalise_number(number)
    if not 10 <= len(digits) <= 16:
        raise BenefitsError(
            "invalid_account", _("Enter the account number: 10 to 16 digits."), field="number"
        )
    if not holder.strip():
        raise BenefitsError("holder_required", _("Enter the account holder's name."), field="holder")
    account, _created = BankAccount.objects.update_or_create(
        household=household,
        defaults={
            "bank_code": bank_code,
            "sealed": crypto.seal(digits, holder.strip()[:40]),
            "last4": digits[-4:],
        },
    )
    audit_log(
        actor=user,
        action="benefits.bank_account.saved",
        target=account,
        subject_user_id=user.pk,
        district=household.district,
        request=request,
        data={"bank": bank_code},
    )
    return account


def benefits_erase_for_deleted_account(*, user: User, household: Household | None, request=None) -> None:
    """The account is being deleted: the bank account goes, open claims and re-verifications are
    closed, a stopped award keeps its ledger (amounts, dates: the district's accounting record) with no
    name, email or phone — those live on the household row, which households erases."""
    if household is None:
        return
    with transaction.atomic():
        BankAccount.objects.filter(household=household).delete()
        awards = Award.objects.filter(household=household)
        Claim.objects.filter(award__in=awards, status=ClaimStatus.SUBMITTED).update(
            status=ClaimStatus.REJECTED, decision_reason="account deleted"
        )
        # The figures stay (the district's accounting record); the files, which may show the name, go
        # once the deletion commits (a rolled-back deletion keeps them).
        claims = Claim.objects.filter(award__in=awards)
        rows = Reverification.objects.filter(award__in=awards)
        names = [*claims.exclude(receipt="").values_list("receipt", flat=True)]
        names += [*rows.exclude(document="").values_list("document", flat=True)]
        claims.update(original_name="receipt", receipt="")
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
        Reverification.objects.filter(award__in=awards).update(changes="", document="")
        Payment.objects.filter(award__in=awards).filter(
            Q(status=PaymentStatus.SCHEDULED) | Q(status=PaymentStatus.APPROVED)
        ).update(status=PaymentStatus.CANCELLED)
        awards.update(
            status=AwardStatus.STOPPED, stop_reason="account deleted", stopped_on=timezone.localdate()
        )
        audit_log(
            actor=user,
            action="benefits.account_deleted",
            subject_user_id=user.pk,
            data={"awards": awards.count()},
            request=request,
        )


def benefits_data_for_export(*, household: Household | None) -> dict:
    """The cash-benefits section of a resident's data download (PIPA art. 35): each award with its
    claims, payments and re-verifications, and the bank account as shown everywhere else (masked: the
    download is a file that may travel further than the resident intends)."""
    if household is None:
        return {}
    account = BankAccount.objects.filter(household=household).first()
    awards = (
        Award.objects.filter(household=household)
        .select_related("terms__program")
        .prefetch_related("claims", "payments", "reverifications")
        .order_by("started_on", "pk")
    )
    return {
        "bank_account": account.masked if account else None,
        "cash_benefits": [
            {
                "program": award.terms.program.title,
                "status": award.status,
                "started_on": award.started_on.isoformat(),
                "stopped_on": award.stopped_on.isoformat() if award.stopped_on else None,
                "claims": [
                    {
                        "period": c.period,
                        "issuer": c.issuer,
                        "receipt_number": c.receipt_number,
                        "receipt_date": c.receipt_date.isoformat(),
                        "receipt_amount": c.receipt_amount,
                        "status": c.status,
                        "approved_amount": c.approved_amount,
                        "reason": c.decision_reason,
                    }
                    for c in sorted(award.claims.all(), key=lambda c: (c.submitted_at, c.pk))
                ],
                "payments": [
                    {
                        "period": p.period,
                        "amount": p.amount,
                        "due_on": p.due_on.isoformat(),
                        "status": p.status,
                    }
                    for p in sorted(award.payments.all(), key=lambda p: (p.due_on, p.pk))
                ],
                "reverifications": [
                    {
                        "period": r.period,
                        "status": r.status,
                        "circumstances_changed": r.circumstances_changed,
                        "changes": r.changes,
                    }
                    for r in sorted(award.reverifications.all(), key=lambda r: (r.requested_at, r.pk))
                ],
            }
            for award in awards
        ],
    }
