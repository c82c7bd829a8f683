"""Under simultaneous submissions a first-come program never approves more than its places (Postgres)."""

from __future__ import annotations

import pytest

from programs.models import Application, ApplicationStatus
from programs.services import ApplicationError, application_cancel, application_submit
from tests.concurrency import run_together
from tests.factories import HouseholdFactory, ProgramFactory

# serialized_rollback: a transactional test flushes the tables, and with them the reference data
# (districts, median income) that migrations load; it is restored before each test.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_fifty_simultaneous_submissions_for_ten_places():
    program = ProgramFactory(selection_method="first_come", capacity=10)
    users = [HouseholdFactory().user for _ in range(50)]

    results = run_together([lambda u=u: application_submit(user=u, program=program) for u in users])

    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = list(Application.objects.filter(program=program).values_list("status", flat=True))
    assert statuses.count(ApplicationStatus.APPROVED) == 10
    assert statuses.count(ApplicationStatus.WAITLISTED) == 40


def test_the_same_resident_submitting_twice_at_once_gets_one_application():
    program = ProgramFactory(selection_method="review")
    user = HouseholdFactory().user

    results = run_together([lambda: application_submit(user=user, program=program) for _ in range(5)])

    refusals = [r for r in results if isinstance(r, ApplicationError)]
    assert Application.objects.filter(program=program).count() == 1
    assert len(refusals) == 4
    assert {r.code for r in refusals} == {"duplicate"}


def test_simultaneous_cancellations_promote_exactly_as_many_from_the_waitlist():
    program = ProgramFactory(selection_method="first_come", capacity=3)
    applications = [application_submit(user=HouseholdFactory().user, program=program) for _ in range(8)]
    approved = [
        a for a in applications if Application.objects.get(pk=a.pk).status == ApplicationStatus.APPROVED
    ]

    run_together([lambda a=a: application_cancel(user=a.household.user, application=a) for a in approved])

    statuses = list(Application.objects.filter(program=program).values_list("status", flat=True))
    assert statuses.count(ApplicationStatus.APPROVED) == 3
    assert statuses.count(ApplicationStatus.CANCELLED) == 3
    assert statuses.count(ApplicationStatus.WAITLISTED) == 2
