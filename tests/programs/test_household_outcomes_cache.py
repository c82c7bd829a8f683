"""A household's judged outcomes are computed once and kept until its profile, any rules, the catalogue
or the day change (programs.selectors.household_outcomes)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from programs import selectors
from programs.eligibility import Verdict
from programs.models import Criterion
from programs.services import program_rules_changed
from tests.factories import HouseholdFactory, ProgramFactory, add_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(monkeypatch):
    """Counts how many programs the engine judges."""
    calls = []
    original = selectors.evaluate_programs

    def counting(*, household, programs, on=None):
        calls.append(len(programs))
        return original(household=household, programs=programs, on=on)

    monkeypatch.setattr(selectors, "evaluate_programs", counting)
    return calls


def open_program(**fields):
    today = timezone.localdate()
    return ProgramFactory(
        application_start=today - timedelta(days=1), application_end=today + timedelta(days=9), **fields
    )


def youth_rule():
    return {"field": "age", "operator": "between", "value": [19, 39], "explanation": "만 19~39세"}


def test_outcomes_are_judged_once_then_read_from_the_cache(judged):
    program = open_program()
    add_rules(program, youth_rule())
    household = HouseholdFactory(birth_date=date(1994, 5, 12))
    first = selectors.household_outcomes(household)
    again = selectors.household_outcomes(household)
    assert judged == [1]
    assert first[program.pk].verdict == again[program.pk].verdict == Verdict.ELIGIBLE
    assert again[program.pk].lines[0].comparison  # the explanation survives the trip through the cache


def test_a_profile_change_is_judged_afresh(judged):
    program = open_program()
    add_rules(program, youth_rule())
    household = HouseholdFactory(birth_date=date(1994, 5, 12))
    assert selectors.household_outcomes(household)[program.pk].verdict == Verdict.ELIGIBLE
    household.birth_date = date(1950, 1, 1)
    household.save()
    assert selectors.household_outcomes(household)[program.pk].verdict == Verdict.INELIGIBLE
    assert judged == [1, 1]


def test_a_rules_change_is_judged_afresh(judged, django_capture_on_commit_callbacks):
    program = open_program()
    add_rules(program, youth_rule())
    household = HouseholdFactory(birth_date=date(1994, 5, 12))
    assert selectors.household_outcomes(household)[program.pk].verdict == Verdict.ELIGIBLE
    criterion = Criterion.objects.get(group__program=program)
    criterion.value = [40, 64]
    with django_capture_on_commit_callbacks(execute=True):  # the rules generation moves at commit
        criterion.save()
        program_rules_changed(program=program)
    assert selectors.household_outcomes(household)[program.pk].verdict == Verdict.INELIGIBLE


def test_a_program_opening_is_judged_afresh(judged):
    household = HouseholdFactory()
    assert selectors.household_outcomes(household) == {}
    program = open_program()
    assert program.pk in selectors.household_outcomes(household)


def test_the_next_day_is_judged_afresh(judged):
    open_program()
    household = HouseholdFactory()
    today = timezone.localdate()
    selectors.household_outcomes(household, on=today)
    selectors.household_outcomes(household, on=today + timedelta(days=1))
    assert len(judged) == 2


def test_each_household_has_its_own_outcomes(judged):
    program = open_program()
    add_rules(program, youth_rule())
    young = HouseholdFactory(birth_date=date(1994, 5, 12))
    old = HouseholdFactory(birth_date=date(1950, 1, 1))
    assert selectors.household_outcomes(young)[program.pk].verdict == Verdict.ELIGIBLE
    assert selectors.household_outcomes(old)[program.pk].verdict == Verdict.INELIGIBLE
