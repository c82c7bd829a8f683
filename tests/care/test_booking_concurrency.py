"""One counsellor's slot, many residents at once: one appointment, one room booking; two counsellors
sharing a room at the same time: one gets the room (PostgreSQL, real threads)."""

from __future__ import annotations

import pytest

from care.models import Appointment
from care.services.appointments import appointment_book
from care.services.errors import CareError
from care.services.slots import free_slots
from spaces.models import Booking
from tests.care.conftest import make_counsellor, next_weekday
from tests.concurrency import run_together
from tests.factories import HouseholdFactory, district

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_many_residents_one_slot_make_one_appointment(service, counsellor):
    slot = free_slots(
        service=service, first=next_weekday(), last=next_weekday(), counsellor_id=counsellor.pk
    )[0]
    users = [HouseholdFactory(district=district("11620")).user for _ in range(12)]

    def attempt(user):
        return lambda: appointment_book(
            user=user,
            service_id=service.pk,
            counsellor_id=counsellor.pk,
            starts_at=slot.starts_at,
            mode="room",
            topic="상담",
        )

    results = run_together([attempt(user) for user in users])
    assert len([r for r in results if isinstance(r, Appointment)]) == 1
    assert all(
        isinstance(r, CareError) and r.code == "taken" for r in results if not isinstance(r, Appointment)
    ), results
    assert Booking.objects.filter(room=counsellor.room, status="confirmed").count() == 1


def test_two_counsellors_sharing_a_room_get_it_once(service, counsellor, room):
    colleague = make_counsellor("colleague@example.kr", service=service, room=room)
    slot = free_slots(
        service=service, first=next_weekday(), last=next_weekday(), counsellor_id=counsellor.pk
    )[0]
    users = [HouseholdFactory(district=district("11620")).user for _ in range(2)]
    calls = [
        lambda: appointment_book(
            user=users[0],
            service_id=service.pk,
            counsellor_id=counsellor.pk,
            starts_at=slot.starts_at,
            mode="room",
            topic="상담",
        ),
        lambda: appointment_book(
            user=users[1],
            service_id=service.pk,
            counsellor_id=colleague.pk,
            starts_at=slot.starts_at,
            mode="room",
            topic="상담",
        ),
    ]
    results = run_together(calls)
    assert len([r for r in results if isinstance(r, Appointment)]) == 1, results
    assert Booking.objects.filter(room=room, status="confirmed").count() == 1
