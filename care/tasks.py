"""Celery tasks of care: each takes ids (or nothing), reloads and calls a service; all idempotent."""

from __future__ import annotations

from celery import shared_task

from .services.appointments import appointments_send_reminders
from .services.checkins import (
    checkins_create_for_day,
    checkins_dispatch_due,
    checkins_notify_steps,
    checkins_send,
    checkins_sweep,
)


@shared_task(acks_late=True)
def create_morning_checkins() -> int:
    # Idempotent: unique (enrolment, scheduled_at), inserted with ON CONFLICT DO NOTHING.
    return checkins_create_for_day()


@shared_task(acks_late=True)
def dispatch_due_checkins() -> int:
    # Idempotent: scheduled rows are queued by id; the send task claims each row again.
    return checkins_dispatch_due()


@shared_task(acks_late=True)
def send_checkins(checkin_ids: list[int]) -> int:
    # Idempotent: each row is claimed (scheduled → sent) before its message, keyed by the check-in.
    return checkins_send(checkin_ids=checkin_ids)


@shared_task(acks_late=True)
def sweep_checkins() -> dict:
    # Idempotent: each step's UPDATE takes only rows still in the step before and overdue.
    return checkins_sweep()


@shared_task(acks_late=True)
def notify_checkin_steps() -> int:
    # Idempotent: notified_step is claimed per row, messages keyed by check-in and step.
    return checkins_notify_steps()


@shared_task(acks_late=True)
def send_appointment_reminders() -> int:
    # Idempotent: reminder_sent_at is claimed per row; the event key carries the start time.
    return appointments_send_reminders()
