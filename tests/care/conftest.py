"""Care fixtures: a Gwanak-gu counselling centre (a service, two counsellors — one the centre lead —
a counselling room from spaces) and enrolment helpers."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests.factories import GWANAK, UserFactory, district, space_with_room


def make_counsellor(email: str, *, lead: bool = False, room=None, service=None, hours=("09:00", "18:00")):
    from care.models import Counsellor, WorkingHours
    from portal.roles import user_set_role

    user = user_set_role(user=UserFactory(email=email), role="counsellor", district=district(GWANAK))
    counsellor = Counsellor.objects.create(
        user=user, district=district(GWANAK), is_centre_lead=lead, room=room
    )
    if service is not None:
        counsellor.services.add(service)
    WorkingHours.objects.bulk_create(
        WorkingHours(
            counsellor=counsellor,
            weekday=day,
            starts=time.fromisoformat(hours[0]),
            ends=time.fromisoformat(hours[1]),
        )
        for day in range(5)
    )
    return counsellor


@pytest.fixture
def room(db):
    return space_with_room(
        GWANAK,
        name="상담실 1",
        name_en="Counselling room 1",
        capacity=2,
        min_minutes=30,
        max_minutes=120,
        slot_minutes=10,
    )


@pytest.fixture
def service(db):
    from care.models import CounsellingService

    return CounsellingService.objects.create(
        district=district(GWANAK), name="심리상담", name_en="Psychological counselling", duration_minutes=50
    )


@pytest.fixture
def counsellor(service, room):
    return make_counsellor("counsellor@example.kr", room=room, service=service)


@pytest.fixture
def lead(service):
    return make_counsellor("lead@example.kr", lead=True, service=service)


@pytest.fixture
def gwanak_resident(db):
    from tests.factories import HouseholdFactory

    return HouseholdFactory(district=district(GWANAK)).user


def next_weekday(days_ahead: int = 3):
    """A Monday–Friday local date at least `days_ahead` days from today."""
    from portal.timeutils import local_today

    day = local_today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
