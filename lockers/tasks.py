"""Celery tasks of the parcel lockers: each calls a service (idempotent, so a rerun sends nothing twice)."""

from __future__ import annotations

from celery import shared_task

from .services import locker_overdue_due, locker_reminders_due


# Named as when the app lived in safety/lockers: beat schedules and queued tasks keep that name.
@shared_task(name="safety.lockers.tasks.send_locker_reminders")
def send_locker_reminders() -> int:
    return locker_reminders_due()


@shared_task(name="safety.lockers.tasks.mark_overdue_parcels")
def mark_overdue_parcels() -> int:
    return locker_overdue_due()
