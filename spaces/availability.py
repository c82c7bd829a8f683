"""Free and taken time of a room over a range of local days: the week view, the API and the benchmarks.

Three queries whatever the range (opening hours, closures, the bookings in the window), then pure
Python over a few hundred slots. Who booked a taken slot is never said: only that it is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from portal.timeutils import local_datetime, local_midnight, local_today, to_local

from .models import ACTIVE_STATUSES, Booking, BookingStatus, Closure, OpeningHours, Room

MAX_RANGE_DAYS = 31


class SlotState:
    FREE = "free"
    TAKEN = "taken"
    PENDING = "pending"  # held by a booking awaiting approval: not free either
    CLOSED = "closed"  # outside opening hours, or a closure day
    UNAVAILABLE = "unavailable"  # past, too soon, or too far ahead to book online


@dataclass
class Slot:
    starts_at: datetime  # aware, local
    ends_at: datetime
    state: str

    @property
    def bookable(self) -> bool:
        return self.state == SlotState.FREE


@dataclass
class Day:
    day: date
    open_intervals: list[tuple[time, time]]
    closure: str = ""  # why the whole day is closed, if it is
    taken: list[tuple[datetime, datetime, str]] = field(default_factory=list)  # (start, end, status)
    slots: list[Slot] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return bool(self.open_intervals) and not self.closure

    @property
    def free_intervals(self) -> list[tuple[datetime, datetime]]:
        """Consecutive free slots merged: what a resident can choose from."""
        merged: list[tuple[datetime, datetime]] = []
        for slot in self.slots:
            if not slot.bookable:
                continue
            if merged and merged[-1][1] == slot.starts_at:
                merged[-1] = (merged[-1][0], slot.ends_at)
            else:
                merged.append((slot.starts_at, slot.ends_at))
        return merged


def room_days(room: Room, first: date, last: date, *, now: datetime | None = None) -> list[Day]:
    """Each local day from first to last (inclusive) with its opening hours, closure, taken intervals
    and the room's slots, each free / taken / pending / closed / unavailable."""
    now = now or timezone.now()
    if last < first:
        return []
    hours: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in (
        OpeningHours.objects.filter(space_id=room.space_id)
        .order_by("opens")
        .values_list("weekday", "opens", "closes")
    ):
        hours.setdefault(weekday, []).append((opens, closes))
    closures = list(
        Closure.objects.filter(
            Q(room__isnull=True) | Q(room=room),
            space_id=room.space_id,
            starts_on__lte=last,
            ends_on__gte=first,
        )
    )
    window_from = local_midnight(first)
    window_to = local_midnight(last, days=1)
    # Bookings never run past midnight, so starts_at >= window_from - 1 day bounds the index range scan.
    bookings = list(
        Booking.objects.filter(
            room_id=room.pk,
            status__in=ACTIVE_STATUSES,
            starts_at__gte=window_from - timedelta(days=1),
            starts_at__lt=window_to,
            ends_at__gt=window_from,
        )
        .order_by("starts_at")
        .values_list("starts_at", "ends_at", "status")
    )
    earliest = now + timedelta(hours=room.min_notice_hours)
    latest_day = local_today(now) + timedelta(days=room.max_days_ahead)
    step = timedelta(minutes=room.slot_minutes)
    days = []
    day = first
    while day <= last:
        closure = next((c for c in closures if c.starts_on <= day <= c.ends_on), None)
        entry = Day(
            day=day,
            open_intervals=hours.get(day.weekday(), []),
            closure=(closure.note or str(closure.get_reason_display())) if closure else "",
        )
        day_from = local_midnight(day)
        day_to = day_from + timedelta(days=1)
        entry.taken = [
            (to_local(s), to_local(e), status) for s, e, status in bookings if s < day_to and e > day_from
        ]
        if entry.is_open:
            for opens, closes in entry.open_intervals:
                slot_start = local_datetime(day, opens)
                close_at = local_datetime(day, closes)
                while slot_start + step <= close_at:
                    slot_end = slot_start + step
                    holder = next((t for t in entry.taken if t[0] < slot_end and t[1] > slot_start), None)
                    if holder is not None:
                        state = SlotState.PENDING if holder[2] == BookingStatus.PENDING else SlotState.TAKEN
                    elif slot_start < earliest or day > latest_day:
                        state = SlotState.UNAVAILABLE
                    else:
                        state = SlotState.FREE
                    entry.slots.append(Slot(slot_start, slot_end, state))
                    slot_start = slot_end
        days.append(entry)
        day += timedelta(days=1)
    return days


def slot_times(days: list[Day]) -> list[time]:
    """The union of slot start times over the days: the rows of the week grid."""
    return sorted({slot.starts_at.time() for day in days for slot in day.slots})
