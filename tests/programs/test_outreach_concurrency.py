"""Outreach under duplicated work on PostgreSQL: matching tasks run at once, and deliveries redelivered
at once, still tell each household about a program exactly once."""

from __future__ import annotations

import pytest
from django.test import TestCase

from households.outreach import outreach_opt_in
from portal.models import Notification
from programs.models import OutreachNotice
from programs.services import outreach
from tests.concurrency import run_together
from tests.factories import HouseholdFactory, ProgramFactory, add_rules

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_matching_and_delivering_at_once_tell_each_household_once():
    households = [HouseholdFactory() for _ in range(12)]
    for household in households:
        with TestCase.captureOnCommitCallbacks(execute=True):
            outreach_opt_in(user=household.user, by_email=True, by_sms=False)
    program = ProgramFactory()
    add_rules(program, {"field": "monthly_income", "operator": "lte", "value": 3_000_000})
    # add_rules queued the match (committed: this test's transactions are real); start from no notice
    # so that the four runs below race for every household.
    OutreachNotice.objects.all().delete()
    Notification.objects.filter(template="outreach.new_program").delete()

    results = run_together([lambda: outreach.outreach_match_program(program_id=program.pk, batch=5)] * 4)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert OutreachNotice.objects.filter(program=program).count() == len(households)

    ids = [h.pk for h in households]
    run_together([lambda: outreach.outreach_deliver(program_id=program.pk, household_ids=ids)] * 4)
    in_app = Notification.objects.filter(template="outreach.new_program", channel="in_app")
    assert sorted(in_app.values_list("user_id", flat=True)) == sorted(h.user_id for h in households)
    assert not OutreachNotice.objects.filter(program=program).exclude(status="sent").exists()
