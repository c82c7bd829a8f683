"""programs answers the events of the apps below it: an account being deleted withdraws its
applications (households.signals.account_deleting), a series booked for a program gives the program its
sessions (spaces.signals.series_booked), and a rescheduled booking moves its session."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from households.services import account_delete
from portal.models import AuditEvent, Notification
from portal.timeutils import local_today
from programs.models import Application, ApplicationStatus, ProgramSession
from spaces.models import BookingSeries
from spaces.services import booking_reschedule
from spaces.signals import series_booked
from tests.factories import (
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    UserFactory,
    book,
    seoul,
    space_with_room,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_deleting_an_account_withdraws_its_applications_through_the_workflow(
    django_capture_on_commit_callbacks,
):
    household = HouseholdFactory()
    user = household.user
    small = ProgramFactory(capacity=1)
    draft = ApplicationFactory(household=household, status=S.DRAFT, submitted_at=None)
    submitted = ApplicationFactory(household=household)
    approved = ApplicationFactory(household=household, program=small, status=S.APPROVED)
    completed = ApplicationFactory(household=household, status=S.COMPLETED)
    rejected = ApplicationFactory(household=household, status=S.REJECTED, decision_reason="관외 거주")
    waiting = ApplicationFactory(program=small, status=S.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user)

    assert not Application.objects.filter(pk=draft.pk).exists()
    for application in (submitted, approved):
        application.refresh_from_db()
        assert application.status == S.CANCELLED
        event = AuditEvent.objects.get(action="programs.application.cancelled", target_id=str(application.pk))
        assert event.actor_id == user.pk
        assert event.data["reference"] == application.reference
        assert application.history.first().history_user_id == user.pk
    completed.refresh_from_db()
    rejected.refresh_from_db()
    assert (completed.status, rejected.status) == (S.COMPLETED, S.REJECTED)
    # Nobody is left to read a message about the withdrawals …
    assert not Notification.objects.filter(user=user).exclude(template__startswith="account").exists()
    # … but the approved place went to the head of the waiting list, who is told.
    waiting.refresh_from_db()
    assert waiting.status == S.APPROVED
    assert Notification.objects.filter(user=waiting.household.user, template="application.promoted").exists()


def test_deleting_an_account_without_a_profile_leaves_other_applications_alone():
    other = ApplicationFactory()

    account_delete(user=UserFactory())

    other.refresh_from_db()
    assert other.status == S.SUBMITTED


def test_a_series_booked_for_a_program_gives_it_one_session_per_booking(caseworker_a):
    room = space_with_room()
    program = ProgramFactory()
    series = BookingSeries.objects.create(
        room=room,
        title="요리 교실",
        program=program,
        weekdays=[0],
        start_time=time(10),
        end_time=time(12),
        starts_on="2030-01-07",
        ends_on="2030-01-14",
        created_by=caseworker_a,
    )
    bookings = [
        book(room, start="2030-01-07 10:00", end="2030-01-07 12:00", series=series),
        book(room, start="2030-01-14 10:00", end="2030-01-14 12:00", series=series),
    ]

    series_booked.send(sender=BookingSeries, series=series, bookings=bookings)

    sessions = list(ProgramSession.objects.filter(program=program).order_by("starts_at"))
    assert [s.booking_id for s in sessions] == [b.pk for b in bookings]
    assert [(s.starts_at, s.ends_at) for s in sessions] == [(b.starts_at, b.ends_at) for b in bookings]


def test_a_series_for_no_program_gives_no_sessions(caseworker_a):
    room = space_with_room()
    series = BookingSeries.objects.create(
        room=room,
        title="대관",
        weekdays=[0],
        start_time=time(10),
        end_time=time(12),
        starts_on="2030-01-07",
        ends_on="2030-01-07",
        created_by=caseworker_a,
    )
    booking = book(room, start="2030-01-07 10:00", end="2030-01-07 12:00", series=series)

    series_booked.send(sender=BookingSeries, series=series, bookings=[booking])

    assert not ProgramSession.objects.exists()


def test_a_rescheduled_booking_moves_the_session_held_in_it(caseworker_a):
    """spaces.signals.booking_rescheduled: the session takes its booking's new time."""
    room = space_with_room()
    day = (local_today() + timedelta(days=2)).isoformat()
    booking = book(room, start=f"{day} 10:00", end=f"{day} 11:00")
    session = ProgramSession.objects.create(
        program=ProgramFactory(), booking=booking, starts_at=booking.starts_at, ends_at=booking.ends_at
    )

    booking_reschedule(
        actor=caseworker_a,
        booking_id=booking.pk,
        starts_at=seoul(f"{day} 14:00"),
        ends_at=seoul(f"{day} 15:00"),
        as_staff=True,
    )

    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == (seoul(f"{day} 14:00"), seoul(f"{day} 15:00"))
