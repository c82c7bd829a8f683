"""Lottery draws at the application deadline, reproducible from their stored seed."""

from __future__ import annotations

import random
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone

from ..models import Application, ApplicationStatus, LotteryDraw, Program, ProgramStatus, SelectionMethod
from .applications import application_flow, notify_resident

S = ApplicationStatus


def drawn_order(application_ids: list[int], seed: str) -> list[int]:
    """The draw itself: a seeded shuffle of the entrants sorted by id, so anyone can replay it."""
    order = sorted(application_ids)
    random.Random(seed).shuffle(order)
    return order


def lottery_draws_due(*, today: date | None = None) -> list[int]:
    """Draw every lottery program whose application period ended before `today` (idempotent)."""
    day = today or timezone.localdate()
    due = Program.objects.filter(
        selection_method=SelectionMethod.LOTTERY,
        status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED],
        application_end__lt=day,
        lottery_draw__isnull=True,
    ).values_list("pk", flat=True)
    return [pk for pk in due if lottery_draw(program_id=pk) is not None]


@transaction.atomic
def lottery_draw(*, program_id: int, seed: str | None = None) -> LotteryDraw | None:
    """Approve up to capacity among eligible entrants in drawn order; waitlist the rest in that order."""
    program = Program.objects.select_for_update().get(pk=program_id)
    if LotteryDraw.objects.filter(program=program).exists():
        return None  # already drawn: a retried task must not draw again
    entrants = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "household__user")
        .filter(program=program, status=S.SUBMITTED, eligibility_verdict="eligible")
    )
    seed = seed or secrets.token_hex(16)
    order = drawn_order([a.pk for a in entrants], seed)
    by_id = {a.pk: a for a in entrants}
    taken = Application.objects.filter(program=program, status__in=[S.APPROVED, S.COMPLETED]).count()
    places = None if program.capacity is None else max(program.capacity - taken, 0)
    approved = 0
    now = timezone.now()
    for rank, pk in enumerate(order, start=1):
        application = by_id[pk]
        if places is None or approved < places:
            application_flow.move(application, S.APPROVED, actor=None, lottery_rank=rank, decided_at=now)
            notify_resident(application, "application.approved")
            approved += 1
        else:
            application_flow.move(application, S.WAITLISTED, actor=None, lottery_rank=rank)
            notify_resident(application, "application.waitlisted")
    return LotteryDraw.objects.create(
        program=program, seed=seed, entrants=len(order), approved=approved, order=order
    )
