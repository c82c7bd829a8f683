"""The disbursement ledger: awards (an approved application of a cash program), the resident's bank
account for payments, reimbursement claims with their receipts, payments and payment batches.

Amounts are whole won (PositiveBigIntegerField), never floats. The database refuses what must never
happen whatever the code path: a second claim for the same receipt or period, a second instalment of a
period, a payment of 0 won.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    STOPPED = "stopped", _("Stopped")


class Award(models.Model):
    """A household's right to a program's benefit, from its approved application. Created when first
    needed (a claim, the instalment schedule, a payment): programs does not know about benefits."""

    application = models.OneToOneField(
        "programs.Application", on_delete=models.PROTECT, related_name="award", verbose_name=_("application")
    )
    terms = models.ForeignKey(
        "benefits.BenefitTerms", on_delete=models.PROTECT, related_name="awards", verbose_name=_("terms")
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="awards", verbose_name=_("household")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    started_on = models.DateField(_("from"))
    stopped_on = models.DateField(_("stopped"), null=True, blank=True)
    stop_reason = models.TextField(_("reason"), blank=True, validators=[refuse_identifiers])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["terms", "status"], name="award_terms_status_idx")]

    def __str__(self) -> str:
        return f"{self.application} · {self.terms.program}"


class BankAccount(models.Model):
    """Where a household's benefits are paid, collected for that purpose only. The number and the
    holder's name are encrypted at rest (benefits.crypto, key from settings); `last4` is kept in clear
    only to show the masked form without decrypting."""

    household = models.OneToOneField(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="bank_account",
        verbose_name=_("household"),
    )
    bank_code = models.CharField(_("bank"), max_length=3)
    # The account number and the holder's name, as one Fernet token (benefits.crypto.seal): one
    # decryption per payment when a transfer file of 100,000 payments is written.
    sealed = models.TextField(editable=False)
    last4 = models.CharField(max_length=4, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        return f"{self.bank_code} ****{self.last4}"


def _receipt_path(instance: Claim, filename: str) -> str:
    # A random name: the resident's file name may hold personal data and must not become a path.
    return f"benefits/receipts/{instance.award_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Claim(models.Model):
    """A reimbursement claim: one receipt and the figures on it. A rejected claim frees its receipt and
    period for a corrected one; any other is the only one (unique constraints)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="claims", verbose_name=_("award"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    period = models.CharField(_("period"), max_length=10, help_text=_("The receipt's year."))
    issuer = models.CharField(_("issuer"), max_length=80, validators=[refuse_identifiers])
    # Normalised (no spaces, upper case) so "SGI 서울보증" and "sgi서울보증" are the same issuer.
    issuer_key = models.CharField(max_length=80, editable=False)
    receipt_number = models.CharField(_("receipt number"), max_length=40, validators=[refuse_identifiers])
    receipt_date = models.DateField(_("receipt date"))
    receipt_amount = models.PositiveBigIntegerField(_("amount on the receipt (won)"))
    receipt = models.FileField(_("receipt"), upload_to=_receipt_path)
    original_name = models.CharField(_("file name"), max_length=200, validators=[refuse_identifiers])
    content_type = models.CharField(_("type"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    approved_amount = models.PositiveBigIntegerField(_("approved amount (won)"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, validators=[refuse_identifiers])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "receipt_number"],
                condition=~Q(status="rejected"),
                name="claim_one_per_receipt",
                violation_error_message=_("This receipt has already been claimed."),
            ),
            models.UniqueConstraint(
                fields=["award", "period"],
                condition=~Q(status="rejected"),
                name="claim_one_per_period",
                violation_error_message=_("You have already claimed for this year."),
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount__lte=models.F("receipt_amount")),
                name="claim_approved_within_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.receipt_number}"


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


# Approved but not yet paid: what a program has committed of its budget.
COMMITTED_STATUSES = (PaymentStatus.APPROVED, PaymentStatus.SENT)


class PaymentBatch(models.Model):
    """A bank-transfer file: the approved payments of a district handed to the finance system at once.
    Its payments are marked "sent" in the statement that creates it, so none is ever in two batches."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    payment_count = models.PositiveIntegerField(_("payments"), default=0)
    total = models.PositiveBigIntegerField(_("total (won)"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"B-{self.pk:06d}"


class Payment(models.Model):
    """One payment: an approved claim's, a one-off award's or a recurring award's instalment of a period."""

    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="payments", verbose_name=_("award")
    )
    # Denormalised from the award: the budget sums and the district's batch read them without joins.
    terms = models.ForeignKey(
        "benefits.BenefitTerms", on_delete=models.PROTECT, related_name="payments", verbose_name=_("terms")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    claim = models.OneToOneField(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        verbose_name=_("claim"),
    )
    period = models.CharField(_("period"), max_length=20)
    amount = models.PositiveBigIntegerField(_("amount (won)"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.SCHEDULED
    )
    batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("batch"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    settled_at = models.DateTimeField(_("paid or returned"), null=True, blank=True)
    return_reason = models.CharField(
        _("return reason"), max_length=200, blank=True, validators=[refuse_identifiers]
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["terms", "status"], name="payment_terms_status_idx"),
            models.Index(fields=["district", "status", "due_on"], name="payment_queue_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "period"],
                name="payment_one_per_award_period",
                violation_error_message=_("This period is already scheduled."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=1), name="payment_amount_positive"),
            # Sent, paid or returned only through a batch: the file the bank received says so.
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "paid", "returned"]) | Q(batch__isnull=False),
                name="payment_sent_in_a_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.amount:,}"
