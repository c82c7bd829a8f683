"""Celery tasks of the programs app: each takes ids, reloads and calls a service.

All are idempotent and acknowledged late (settings, Celery section): process_application leaves an
application already judged as it is; a lottery is drawn once (its LotteryDraw row); the sweep only
queues evaluations.
"""

from __future__ import annotations

from celery import shared_task

from .services import application_evaluate, applications_requeue_unjudged, lottery_draws_due, outreach


# Queued through the task outbox (portal.outbox) at submission and by the sweep below; a killed worker's
# evaluation goes straight back to the queue (reject_on_worker_lost): a rerun changes nothing.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_application(application_id: int) -> str:
    return application_evaluate(application_id=application_id).status


@shared_task
def draw_due_lotteries() -> list[int]:
    return lottery_draws_due()


@shared_task
def sweep_unjudged_applications() -> int:
    return applications_requeue_unjudged()


# Proactive outreach (programs.services.outreach). Matching inserts notice rows that are unique per
# household and program, so a rerun tells nobody twice; delivery claims each row with a conditional
# UPDATE before its message is recorded, so a redelivered task sends nothing again.
@shared_task
def match_outreach_for_program(program_id: int) -> int:
    return outreach.outreach_match_program(program_id=program_id)


@shared_task
def match_outreach_for_household(household_id: int) -> int:
    return outreach.outreach_match_household(household_id=household_id)


@shared_task
def deliver_outreach(program_id: int, household_ids: list[int]) -> int:
    return outreach.outreach_deliver(program_id=program_id, household_ids=household_ids)


@shared_task
def deliver_due_outreach() -> int:
    return outreach.outreach_deliver_due()


@shared_task
def outreach_programs_opening() -> int:
    return outreach.outreach_programs_opening()


@shared_task
def outreach_birthdays() -> int:
    return outreach.outreach_birthdays()


@shared_task
def outreach_weekly_digest() -> int:
    return outreach.outreach_weekly_digest()
