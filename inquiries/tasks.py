"""Celery tasks of the inquiries app."""

from __future__ import annotations

from celery import shared_task

from .services import inquiries_sweep


# Beat, every 5 minutes (settings: CELERY_BEAT_SCHEDULE["inquiries-sweep"]). Idempotent: a pass stamps
# what it reports, so a duplicate or late run tells nobody twice.
@shared_task
def sweep() -> dict[str, int]:
    return inquiries_sweep()
