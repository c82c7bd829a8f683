"""Celery tasks of the exports: run a large export job, delete expired export files.

Tasks take ids and call a service. This module imports nothing but Celery at load time (reports.tasks
imports it, so Celery's autodiscovery and ReportsConfig.ready register the tasks); the services are
imported when a task runs. The names are the ones the tasks had under portal/, so queued tasks and the
beat schedule keep working.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="portal.exports.tasks.run_export_job", acks_late=True)
def run_export_job(job_id: str) -> str:
    from .services import job_run

    return job_run(job_id=job_id)


@shared_task(name="portal.exports.tasks.expire_exports")
def expire_exports() -> int:
    """Delete the files of export jobs past their expiry. Beat no longer queues it (the nightly
    retention job does this as its "exports" class); kept so messages already queued still run."""
    from .services import exports_expire

    return exports_expire()
