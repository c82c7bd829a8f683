"""Retention: a finished booking's purpose (and the staff's reason) is blanked after the period,
on the booking and in its history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal import retention
from spaces.models import Booking
from tests.factories import book, seoul, space_with_room

pytestmark = pytest.mark.django_db

ENDS = "2026-03-02 12:00"


def run(days: int) -> int:
    return retention.prune_class(retention.get("bookings"), now=seoul(ENDS) + timedelta(days=days))


def test_finished_bookings_are_blanked_after_the_period_not_before(settings):
    settings.RETENTION_BOOKINGS_DAYS = 365
    room = space_with_room()
    attended = book(room, start="2026-03-02 10:00", end=ENDS, status="attended", purpose="우울증 자조 모임")
    cancelled = book(room, start="2026-03-02 10:00", end=ENDS, status="cancelled", reason="개인 사정")
    live = book(room, start="2026-03-02 13:00", end="2026-03-02 14:00", status="confirmed")

    assert run(364) == 0
    assert Booking.objects.get(pk=attended.pk).purpose == "우울증 자조 모임"

    assert run(366) == 2
    for pk in (attended.pk, cancelled.pk):
        row = Booking.objects.get(pk=pk)
        assert row.purpose == "" and row.reason == ""
        assert not Booking.history.filter(id=pk).exclude(purpose="").exists()
    # A confirmed booking is still live, whatever its date; the others keep time, room and status.
    assert Booking.objects.get(pk=live.pk).purpose == "독서 모임"
    assert Booking.objects.get(pk=attended.pk).status == "attended"

    assert run(366) == 0  # idempotent
