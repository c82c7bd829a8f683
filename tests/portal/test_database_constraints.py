"""Invariants the database itself enforces (on SQLite and on Postgres alike), not only Python."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from households.models import Consent
from programs.models import CriterionGroup, MedianIncome
from tests.factories import HouseholdFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_program_has_one_root_rule_group():
    program = ProgramFactory()
    CriterionGroup.objects.create(program=program)

    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionGroup.objects.create(program=program)


def test_only_one_live_consent_per_purpose():
    household = HouseholdFactory()  # gives the profile consent
    Consent.objects.filter(user=household.user).update(withdrawn_at=timezone.now())
    Consent.objects.create(user=household.user, purpose="profile", version="v2", given_at=timezone.now())

    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(user=household.user, purpose="profile", version="v3", given_at=timezone.now())


def test_application_period_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(application_start=date(2026, 5, 1), application_end=date(2026, 4, 30))


def test_median_income_has_one_figure_per_year_and_size():
    with pytest.raises(IntegrityError), transaction.atomic():
        MedianIncome.objects.create(year=2026, household_size=1, amount=1)
