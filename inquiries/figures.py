"""The promise's figures per district and month (by the month the question was received, in Seoul): how
many were answered, how many within 48 working hours, the median working time to the first answer and the
ratings. No personal data: the public page, the dashboard and the performance report read these.

Aggregated in the database in one grouped query; on PostgreSQL the median too (percentile_cont), on SQLite
(the embedded default, small data) a second query reads the answer times and Python takes the median.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Q, QuerySet
from django.db.models.functions import TruncMonth

from portal.timeutils import local_midnight, local_zone

from .models import Inquiry


@dataclass(frozen=True)
class MonthFigure:
    district_id: int
    district: str
    month: date
    received: int
    answered: int
    in_time: int
    median_hours: float | None
    ratings: int
    average_rating: float | None

    @property
    def in_time_rate(self) -> float | None:
        return round(100 * self.in_time / self.answered, 1) if self.answered else None


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def monthly_figures(
    *, start: date, end: date, districts: QuerySet | None = None, inquiries: QuerySet | None = None
) -> list[MonthFigure]:
    """Figures per district and month of the inquiries received from `start` to `end` (inclusive)."""
    rows = (inquiries if inquiries is not None else Inquiry.objects.all()).filter(
        received_at__gte=local_midnight(start), received_at__lt=local_midnight(end, days=1)
    )
    if districts is not None:
        rows = rows.filter(district__in=districts)
    in_database = connection.vendor == "postgresql"
    extra = {"median_seconds": Median("answer_seconds")} if in_database else {}
    grouped = (
        rows.annotate(month=TruncMonth("received_at", tzinfo=local_zone()))
        .values("district_id", "district__name", "month")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(first_answered_at__isnull=False)),
            in_time=Count("pk", filter=Q(answered_in_time=True)),
            ratings=Count("rating"),
            average_rating=Avg("rating"),
            **extra,
        )
        .order_by("month", "district__name")
    )
    times: dict[tuple[int, date], list[int]] = {}
    for district_id, month, seconds in (
        []
        if in_database
        else (
            rows.filter(answer_seconds__isnull=False)
            .annotate(month=TruncMonth("received_at", tzinfo=local_zone()))
            .values_list("district_id", "month", "answer_seconds")
        )
    ):
        times.setdefault((district_id, _as_date(month)), []).append(seconds)
    figures = []
    for row in grouped:
        month = _as_date(row["month"])
        answer_times = times.get((row["district_id"], month), [])
        median = (
            row.get("median_seconds")
            if in_database
            else (statistics.median(answer_times) if answer_times else None)
        )
        figures.append(
            MonthFigure(
                district_id=row["district_id"],
                district=row["district__name"],
                month=month,
                received=row["received"],
                answered=row["answered"],
                in_time=row["in_time"],
                median_hours=round(median / 3600, 1) if median is not None else None,
                ratings=row["ratings"],
                average_rating=round(row["average_rating"], 2) if row["average_rating"] is not None else None,
            )
        )
    return figures


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value
