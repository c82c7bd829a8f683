"""Lottery draws at the deadline: up to capacity approved, the rest waitlisted in drawn order,
reproducible from the stored seed, drawn once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import Application, ApplicationStatus, LotteryDraw, Program
from programs.services import application_submit, lottery_draw, lottery_draws_due
from programs.services.lottery import drawn_order
from tests.factories import HouseholdFactory, ProgramFactory, add_rules

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def lottery_with_entrants(committed, *, entrants: int, capacity: int) -> Program:
    program = ProgramFactory(selection_method="lottery", capacity=capacity)
    for _ in range(entrants):
        committed(application_submit, user=HouseholdFactory().user, program=program)
    # The period ends: the draw is due the next day.
    today = timezone.localdate()
    Program.objects.filter(pk=program.pk).update(
        application_start=today - timedelta(days=10), application_end=today - timedelta(days=1)
    )
    return program


def test_the_draw_approves_up_to_capacity_and_waitlists_the_rest_in_order(committed):
    program = lottery_with_entrants(committed, entrants=7, capacity=3)

    draw = lottery_draw(program_id=program.pk, seed="seed-2026")

    ranked = list(Application.objects.filter(program=program).order_by("lottery_rank"))
    assert [a.lottery_rank for a in ranked] == list(range(1, 8))
    assert [a.status for a in ranked] == [S.APPROVED] * 3 + [S.WAITLISTED] * 4
    assert [a.pk for a in ranked] == draw.order
    assert (draw.entrants, draw.approved) == (7, 3)


def test_the_draw_is_reproducible_from_its_seed(committed):
    program = lottery_with_entrants(committed, entrants=6, capacity=2)

    draw = lottery_draw(program_id=program.pk, seed="replay-me")

    entrants = list(Application.objects.filter(program=program).values_list("pk", flat=True))
    assert drawn_order(entrants, draw.seed) == draw.order
    assert drawn_order(entrants, "another seed") != draw.order


def test_only_eligible_entrants_are_drawn(committed):
    program = ProgramFactory(selection_method="lottery", capacity=5)
    add_rules(program, {"field": "gender", "operator": "eq", "value": "female"})
    woman = HouseholdFactory().user
    man = HouseholdFactory(gender="male").user
    for user in (woman, man):
        committed(application_submit, user=user, program=program)

    draw = lottery_draw(program_id=program.pk, seed="s")

    assert draw.entrants == 1
    statuses = dict(Application.objects.filter(program=program).values_list("household__user", "status"))
    assert statuses == {woman.pk: S.APPROVED, man.pk: S.UNDER_REVIEW}


def test_due_draws_run_once_after_the_deadline(committed):
    due = lottery_with_entrants(committed, entrants=2, capacity=1)
    still_open = ProgramFactory(selection_method="lottery", capacity=1)

    first = lottery_draws_due()
    second = lottery_draws_due()

    assert first == [due.pk]
    assert second == []
    assert not LotteryDraw.objects.filter(program=still_open).exists()


def test_the_waitlist_after_a_draw_is_promoted_in_drawn_order(committed):
    from programs.services import application_cancel

    program = lottery_with_entrants(committed, entrants=4, capacity=1)
    lottery_draw(program_id=program.pk, seed="order")
    winner = Application.objects.get(program=program, lottery_rank=1)

    committed(application_cancel, user=winner.household.user, application=winner)

    assert Application.objects.get(program=program, lottery_rank=2).status == S.APPROVED
    assert Application.objects.get(program=program, lottery_rank=3).status == S.WAITLISTED
