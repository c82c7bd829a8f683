"""Never double-booked: how a booking write waits its turn and how the database's refusal reads.

On PostgreSQL the exclusion constraint is the real guarantee: of two simultaneous inserts for one slot
the second waits for the first and then fails with an exclusion violation, which becomes the same
"already taken" refusal as the Python check; writers of one room and Seoul day take turns on an advisory
lock first (lock_room_days), so they never deadlock on the constraint. On SQLite, transactions begin
IMMEDIATE (settings), so check-and-insert runs one writer at a time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction

from ..models import Booking
from ..rules import taken_failure
from .errors import BookingError


def is_overlap(error: IntegrityError) -> bool:
    """An exclusion-constraint violation (SQLSTATE 23P01) on PostgreSQL."""
    return getattr(error.__cause__, "sqlstate", None) == "23P01"


def is_deadlock(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


def save_once_free(booking: Booking, **save_kwargs: Any) -> Booking:
    """Save (insert or move) a booking, turning PostgreSQL's no-overlap refusal into the "already taken"
    answer.

    Two transactions writing overlapping ranges at once can each wait for the other on the exclusion
    constraint; PostgreSQL breaks that tie by aborting one with a deadlock error. Its savepoint is rolled
    back and the write tried again: it now waits for the other transaction, and then fails as taken (the
    other committed) or goes through (the other rolled back).
    """
    for attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction stays usable
                booking.save(**save_kwargs)
            return booking
        except IntegrityError as error:
            if is_overlap(error):
                raise BookingError.of([taken_failure()]) from error
            raise
        except OperationalError as error:
            if not is_deadlock(error) or attempt == 2:
                raise
    return booking  # not reached: the last attempt returns or raises


def lock_room_days(room_id: int, days: list[date]) -> None:
    """PostgreSQL: take the room's lock for each local day, in date order, until the transaction ends.

    Two bookings can only overlap on the same room and Seoul day (none runs past midnight), so writers of
    one room-day take turns: the second checks after the first has committed and is refused cleanly,
    instead of both reaching the exclusion constraint together, where they can deadlock. Other days and
    rooms are not held up. On SQLite the IMMEDIATE transaction already makes writers take turns.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for day in sorted(set(days)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [room_id, day.toordinal()])
