"""Celery tasks of the performance reports. Imports nothing but Celery at load time (reports.tasks imports
this module, so Celery's autodiscovery and ReportsConfig.ready register the tasks); services are imported
when a task runs. The name is the one the task had under portal/, as the beat schedule names it."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="portal.performance.tasks.generate_monthly_reports")
def generate_monthly_reports(month: str | None = None) -> int:
    """Beat, on the 1st (Asia/Seoul): last month's report for every active district. `month`
    ("YYYY-MM-DD", the 1st) overrides the month, for a re-run by hand. Returns how many were made."""
    from datetime import date

    from .services import monthly_reports_generate

    return monthly_reports_generate(month=date.fromisoformat(month) if month else None)
