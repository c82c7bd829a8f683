"""Celery tasks of the programs app: each takes ids, reloads and calls a service."""

from __future__ import annotations

from celery import shared_task

from .services import application_evaluate, lottery_draws_due


@shared_task(acks_late=True)
def process_application(application_id: int) -> str:
    return application_evaluate(application_id=application_id).status


@shared_task
def draw_due_lotteries() -> list[int]:
    return lottery_draws_due()
