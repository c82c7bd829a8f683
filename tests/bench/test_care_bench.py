"""bench.care on a small database: the rows run end to end and report no duplicate (no timing asserted)."""

from __future__ import annotations

import pytest

from bench.care import morning_lines, slot_scenario, sweep_lines
from care.models import CheckIn, CheckInTask
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_the_care_rows_run_and_find_no_duplicates():
    for _ in range(20):
        HouseholdFactory()
    morning = morning_lines()
    assert "20 due, 20 queued" in morning[0] and "0 queued;" in morning[0] and "0 duplicates" in morning[0]
    assert "0 duplicates" in morning[1]
    sweep = sweep_lines()
    assert "2 reminded, 2 to a call (2 tasks opened)" in sweep[0] and "0 moved, 0 new tasks" in sweep[0]
    assert CheckIn.objects.count() == 20 and CheckInTask.objects.count() == 2
    label, call, target, repeat = slot_scenario()
    call()
    assert "slots" in label and target == "p95 ≤ 50 ms"
