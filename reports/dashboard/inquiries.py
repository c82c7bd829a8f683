"""The dashboard's inquiries panel: per month of receipt, how many inquiries were answered within the
48-working-hour promise, the median working time to the first answer, the ratings, and how many still
wait (and how many of those broke the promise). Figures from inquiries.figures, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from inquiries.figures import MonthFigure, monthly_figures
from inquiries.models import Inquiry, InquiryStatus
from portal.models import User


@dataclass
class InquiriesPanel:
    months: list[MonthFigure]
    waiting: int
    overdue: int
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def received(self) -> int:
        return sum(m.received for m in self.months)

    @property
    def answered(self) -> int:
        return sum(m.answered for m in self.months)

    @property
    def in_time(self) -> int:
        return sum(m.in_time for m in self.months)

    @property
    def in_time_rate(self) -> float | None:
        return round(100 * self.in_time / self.answered, 1) if self.answered else None


def inquiries_panel(user: User, district_id: int | None, period) -> InquiriesPanel:
    """3 queries on PostgreSQL (figures, open count) — the open ones through the partial queue index."""
    scoped = Inquiry.objects.visible_to(user)
    if district_id is not None:
        scoped = scoped.filter(district_id=district_id)
    months = monthly_figures(start=period.start, end=period.end, inquiries=scoped)
    open_rows = scoped.filter(status=InquiryStatus.OPEN)
    waiting = open_rows.count()
    overdue = open_rows.filter(due_at__lt=timezone.now()).count() if waiting else 0
    return InquiriesPanel(months=months, waiting=waiting, overdue=overdue)
