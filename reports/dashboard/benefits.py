"""Budget execution of cash benefits (issue 18) on the dashboard and in the monthly performance report.

Per cash program (with benefit terms) the staff member sees: its budget, what is committed now
(approved, not yet paid), what is paid in all and what was paid in the period, and 집행률 (paid in all
÷ budget). One query: the programs' terms with conditional sums over their payments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, Sum
from django.utils import timezone

from benefits.models import COMMITTED_STATUSES, BenefitTerms, PaymentStatus
from portal.i18n import is_english
from portal.models import User

from .charts import percent


@dataclass
class ProgramExecution:
    program_id: int
    title: str
    title_en: str
    budget_line: str
    budget: int | None
    committed: int
    paid: int
    paid_in_period: int

    @property
    def rate(self) -> float | None:
        """집행률 as a ratio (0.25 = 25 %); money stays integer, this is for display."""
        return self.paid / self.budget if self.budget else None

    @property
    def rate_text(self) -> str:
        return percent(self.rate)

    @property
    def name(self) -> str:
        return self.title_en if is_english() and self.title_en else self.title


@dataclass
class BenefitsPanel:
    programs: list[ProgramExecution]
    budget: int
    committed: int
    paid: int
    paid_in_period: int
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def rate(self) -> float | None:
        return self.paid / self.budget if self.budget else None

    @property
    def rate_text(self) -> str:
        return percent(self.rate)


def benefits_panel(user: User, district_id: int | None, period) -> BenefitsPanel:
    terms = BenefitTerms.objects.visible_to(user)
    if district_id is not None:
        terms = terms.filter(program__district_id=district_id)
    paid = Q(payments__status=PaymentStatus.PAID)
    rows = (
        terms.annotate(
            committed=Sum("payments__amount", filter=Q(payments__status__in=COMMITTED_STATUSES), default=0),
            paid=Sum("payments__amount", filter=paid, default=0),
            paid_in_period=Sum(
                "payments__amount",
                filter=paid
                & Q(payments__settled_at__gte=period.start_at, payments__settled_at__lt=period.end_at),
                default=0,
            ),
        )
        .values(
            "program_id",
            "program__title",
            "program__title_en",
            "budget_line_code",
            "budget_line_name",
            "program__budget",
            "committed",
            "paid",
            "paid_in_period",
        )
        .order_by("program__title", "program_id")
    )
    programs = [
        ProgramExecution(
            row["program_id"],
            row["program__title"],
            row["program__title_en"] or "",
            " ".join(filter(None, [row["budget_line_code"], row["budget_line_name"]])),
            row["program__budget"],
            row["committed"],
            row["paid"],
            row["paid_in_period"],
        )
        for row in rows
    ]
    return BenefitsPanel(
        programs=programs,
        budget=sum(p.budget or 0 for p in programs),
        committed=sum(p.committed for p in programs),
        paid=sum(p.paid for p in programs),
        paid_in_period=sum(p.paid_in_period for p in programs),
    )


def benefits_figures(panel: BenefitsPanel) -> dict:
    """The panel as the performance report's snapshot (plain JSON-able data)."""
    return {
        "programs": [
            {
                "title": p.title,
                "title_en": p.title_en,
                "budget_line": p.budget_line,
                "budget": p.budget,
                "committed": p.committed,
                "paid": p.paid,
                "paid_in_month": p.paid_in_period,
                "rate": p.rate,
            }
            for p in panel.programs
        ],
        "budget": panel.budget,
        "committed": panel.committed,
        "paid": panel.paid,
        "paid_in_month": panel.paid_in_period,
        "rate": panel.rate,
    }
