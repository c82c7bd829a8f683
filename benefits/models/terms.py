"""A cash program's benefit terms (지원 조건) and budget line: what a resident receives and against which
budget it is paid. One row per program; the programs app never imports it (benefits sits above)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.scoping import ScopedQuerySet, scope_to_district


class BenefitKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off payment")
    REIMBURSEMENT = "reimbursement", _("Reimbursement of receipts")
    RECURRING = "recurring", _("Recurring allowance")


# Instalments a year → how a period is named ("2026-Q1") and its first month.
SCHEDULES = {1: "Y", 2: "H", 4: "Q", 12: "M"}


class TermsQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> models.QuerySet:
        # A city-wide program has no district: only a city admin manages its terms.
        return scope_to_district(self, user, "program__district")


class BenefitTerms(models.Model):
    """The terms of a cash program. The budget is the program's own (programs.Program.budget, already
    shown in the monthly performance report); this row is also the lock every budget commitment takes."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.PROTECT, related_name="benefit_terms", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=BenefitKind.choices)
    amount = models.PositiveBigIntegerField(
        _("amount (won)"),
        null=True,
        blank=True,
        help_text=_("One-off: the payment. Recurring: the amount a year, split over the instalments."),
    )
    share_percent = models.PositiveSmallIntegerField(
        _("share of the receipt (%)"), null=True, blank=True, help_text=_("Reimbursement: e.g. 100.")
    )
    cap = models.PositiveBigIntegerField(
        _("cap per household and year (won)"), null=True, blank=True, help_text=_("Reimbursement only.")
    )
    instalments_per_year = models.PositiveSmallIntegerField(
        _("instalments a year"),
        null=True,
        blank=True,
        choices=[(1, _("yearly")), (2, _("half-yearly")), (4, _("quarterly")), (12, _("monthly"))],
    )
    reverify_documents = models.BooleanField(
        _("re-verification asks for a document"),
        default=False,
        help_text=_("Recurring: the resident uploads a document with each period's confirmation."),
    )
    budget_line_code = models.CharField(
        _("budget line code (세부사업 코드)"), max_length=40, blank=True, validators=[refuse_identifiers]
    )
    budget_line_name = models.CharField(
        _("budget line (세부사업명)"), max_length=120, blank=True, validators=[refuse_identifiers]
    )

    objects = TermsQuerySet.as_manager()

    class Meta:
        verbose_name = _("benefit terms")
        verbose_name_plural = _("benefit terms")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="reimbursement")
                # isnull=False too: a comparison with NULL is unknown, which a CHECK lets through.
                | Q(share_percent__isnull=False, share_percent__gte=1, share_percent__lte=100)
                & Q(cap__isnull=False, cap__gte=1),
                name="benefit_terms_reimbursement_complete",
                violation_error_message=_("A reimbursement needs a share (1–100%%) and a cap."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="recurring")
                | Q(amount__isnull=False, amount__gte=1, instalments_per_year__in=[1, 2, 4, 12]),
                name="benefit_terms_recurring_complete",
                violation_error_message=_("A recurring allowance needs an amount and a schedule."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="one_off") | Q(amount__isnull=False, amount__gte=1),
                name="benefit_terms_one_off_complete",
                violation_error_message=_("A one-off payment needs an amount."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.get_kind_display()}"

    def reimbursable(self, receipt_amount: int) -> int:
        """The share of a receipt, in whole won (rounded down: never more than the share)."""
        return receipt_amount * (self.share_percent or 0) // 100

    def periods(self, year: int) -> list[tuple[str, int, int]]:
        """(period, first month, amount) of each instalment of `year`; the amounts add up to the year's
        exactly (the last instalment takes the remainder of the division)."""
        count = self.instalments_per_year or 1
        letter = SCHEDULES[count]
        each, rest = divmod(self.amount or 0, count)
        rows = []
        for index in range(count):
            label = f"{year}" if count == 1 else f"{year}-{letter}{index + 1:0{2 if count == 12 else 1}d}"
            rows.append((label, 1 + index * (12 // count), each + (rest if index == count - 1 else 0)))
        return rows
