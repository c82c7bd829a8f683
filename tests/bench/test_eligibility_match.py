"""bench.eligibility_match: the SQL and Python sides agree on a small database (no timing asserted)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from bench.eligibility_match import match_rows, outreach_tree
from households.models import Household
from programs.eligibility import Verdict
from programs.eligibility_sql import eligible_households
from programs.selectors import median_table
from tests.factories import GWANAK, JUNGGU, HouseholdFactory, district


@pytest.mark.django_db
def test_match_rows_counts_the_same_households_both_ways():
    today = timezone.localdate()
    young = date(today.year - 25, 1, 1)
    HouseholdFactory(
        birth_date=young, gender="female", income_support="none", household_size=1, monthly_income=0
    )
    HouseholdFactory(
        birth_date=young,
        gender="male",
        district=district(GWANAK),
        income_support="near_poverty",
        monthly_income=0,
    )
    HouseholdFactory(
        birth_date=young, gender="male", district=district(JUNGGU), income_support="none"
    )  # neither
    HouseholdFactory(birth_date=date(today.year - 70, 1, 1), income_support="none")  # too old
    HouseholdFactory(birth_date=young, income_support="")  # unanswered

    rows = match_rows(households_in_db=Household.objects.count())

    eligible = eligible_households(outreach_tree(), on=today, medians=median_table())
    assert eligible.count() == 2
    assert [row["unit"] for row in rows] == ["ms", "ms", "×"]
    assert rows[0]["counts"] == (
        f"{Verdict.ELIGIBLE.value} 2, {Verdict.INELIGIBLE.value} 2, {Verdict.NEEDS_INFO.value} 1"
    )
    assert all(row["value"] >= 0 for row in rows)
