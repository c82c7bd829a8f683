"""Celery tasks of the parcel lockers: each calls a service (idempotent, so a rerun sends nothing twice)."""

from __future__ import annotations

from celery import shared_task

from .services import locker_overdue_due, locker_reminders_due


@shared_task
def send_locker_reminders() -> int:
    return locker_reminders_due()


@shared_task
def mark_overdue_parcels() -> int:
    return locker_overdue_due()
