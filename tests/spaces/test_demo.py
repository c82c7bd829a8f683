"""Demo spaces: <놀다가> and the Gwanak support centre, holidays, series linked to program sessions, the
residents' bookings; loading twice writes nothing new."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.spaces import series_window
from portal.models import AuditEvent, Notification
from portal.timeutils import to_local
from programs.models import ProgramSession
from spaces.models import (
    Booking,
    BookingPolicy,
    BookingSeries,
    Closure,
    OpeningHours,
    Room,
    Space,
)
from spaces.rules import week_start

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (Space, Room, OpeningHours, Closure, BookingPolicy, BookingSeries, Booking, ProgramSession)
    counts = {model.__name__: model.objects.count() for model in models}
    for model in (Space, Room, BookingSeries, Booking):
        counts[f"{model.__name__} history"] = model.history.count()
    counts["audit events"] = AuditEvent.objects.count()
    counts["notifications"] = Notification.objects.count()
    return counts


def test_load_demo_twice_writes_nothing_new():
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert first["Space"] == 2 and first["Room"] == 4
    assert first["BookingSeries"] >= 2


def test_demo_spaces_rooms_hours_and_policy():
    call_command("load_demo")
    noldaga = Space.objects.get(slug="junggu-noldaga")
    assert noldaga.district.code == "11140" and noldaga.neighbourhood.name == "황학동"
    assert "황학동" in noldaga.address and "예시 주소" in noldaga.address
    assert noldaga.name_en and noldaga.summary_en and noldaga.accessibility_notes
    assert "kitchen" in noldaga.amenities and "accessible_toilet" in noldaga.access_features
    kitchen = noldaga.rooms.get(name="공유부엌")
    assert (kitchen.capacity, kitchen.requires_approval, kitchen.slot_minutes) == (8, True, 30)
    assert (kitchen.min_minutes, kitchen.max_minutes) == (60, 180)
    meeting = noldaga.rooms.get(name="모임방")
    assert (meeting.capacity, meeting.requires_approval) == (12, False)
    hours = set(noldaga.opening_hours.values_list("weekday", "opens", "closes"))
    assert (0, time(10), time(21)) not in hours and not any(h[0] == 0 for h in hours)  # closed Mondays
    assert (1, time(10), time(21)) in hours and (6, time(10), time(17)) in hours

    center = Space.objects.get(slug="gwanak-single-household-center")
    assert center.district.code == "11620"
    assert center.rooms.get(name="상담실").requires_approval
    assert {h[0] for h in center.opening_hours.values_list("weekday", "opens", "closes")} == set(range(5))

    policy = BookingPolicy.objects.get(district__code="11140")
    assert (policy.max_upcoming, policy.max_hours_per_week) == (3, 6)
    assert (policy.no_show_limit, policy.no_show_window_days, policy.ban_days) == (3, 90, 30)


def test_demo_closures_holidays_and_maintenance():
    call_command("load_demo")
    next_year = timezone.localdate().year + 1
    for space in Space.objects.all():
        new_year = Closure.objects.get(space=space, reason="holiday", starts_on=date(next_year, 1, 1))
        assert new_year.note  # the holiday's Korean name
        assert Closure.objects.filter(space=space, reason="holiday", starts_on__year=next_year).count() >= 15
    maintenance = Closure.objects.get(reason="maintenance")
    assert maintenance.space.slug == "junggu-noldaga" and "화장실" in maintenance.note


def test_demo_series_are_program_sessions():
    call_command("load_demo")
    happy = BookingSeries.objects.get(title__startswith="행복한밥상", room__name="공유부엌")
    assert happy.program.slug == "junggu-happy-table"
    assert happy.created_by.email == "programs.junggu@hana.demo"
    occurrences = list(happy.bookings.order_by("starts_at"))
    assert 1 <= len(occurrences) <= 8
    assert all(b.status == "confirmed" and b.household_id is None for b in occurrences)
    assert all(to_local(b.starts_at).weekday() == 3 for b in occurrences)
    sessions = ProgramSession.objects.filter(booking__series=happy)
    assert sessions.count() == len(occurrences)
    assert all(s.starts_at == s.booking.starts_at for s in sessions)
    # No occurrence on a closure day.
    closed = {
        c.starts_on + timedelta(days=n)
        for c in Closure.objects.filter(space=happy.room.space)
        for n in range((c.ends_on - c.starts_on).days + 1)
    }
    assert not {to_local(b.starts_at).date() for b in occurrences} & closed
    assert BookingSeries.objects.filter(program__slug="junggu-gardening-potluck").exists()

    past = ProgramSession.objects.filter(program__slug="junggu-happy-table", booking__isnull=True)
    assert past.count() >= 3
    assert all(s.participants and s.ends_at < timezone.now() for s in past)


def test_demo_residents_book_in_their_own_district():
    call_command("load_demo")
    resident = Booking.objects.filter(household__user__email="resident@hana.demo")
    assert resident.count() == 2
    assert set(resident.values_list("district__code", flat=True)) == {"11620"}
    assert set(resident.values_list("status", flat=True)) == {"confirmed", "pending"}
    assert all(b.starts_at > timezone.now() for b in resident)
    jung = Booking.objects.get(household__user__email="resident2@hana.demo")
    assert (jung.district.code, jung.status, jung.room.name) == ("11140", "pending", "공유부엌")


def test_series_window_takes_the_longest_run_around_a_closure():
    call_command("load_demo")
    kitchen = Room.objects.select_related("space").get(space__slug="junggu-noldaga", name="공유부엌")
    # Twenty weeks out: past the demo series and its bookings.
    first = week_start(timezone.localdate()) + timedelta(weeks=20)
    thursdays = [first + timedelta(weeks=n, days=3) for n in range(8)]
    Closure.objects.filter(space=kitchen.space, starts_on__in=thursdays).delete()
    Closure.objects.create(space=kitchen.space, starts_on=thursdays[2], ends_on=thursdays[2], reason="event")
    assert series_window(kitchen, 3, time(18, 30), time(20, 30), first, 8) == (thursdays[3], thursdays[7])
    # Mondays the space is shut: no window at all.
    assert series_window(kitchen, 0, time(18, 30), time(20, 30), first, 8) is None
