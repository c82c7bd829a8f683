"""The app's Celery tasks, for Celery's autodiscovery (it imports `<app>.tasks` only).

Each feature keeps its tasks next to its services (reports.exports.tasks, reports.performance.tasks).
Their registered names are the ones they had under portal/, so queued tasks and the beat schedule
keep working.
"""

from .exports.tasks import expire_exports, run_export_job
from .performance.tasks import generate_monthly_reports

__all__ = ["expire_exports", "generate_monthly_reports", "run_export_job"]
