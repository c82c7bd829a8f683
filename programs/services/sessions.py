"""A program's sessions held in room bookings: created for a series booked for the program, moved with
their booking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from portal import pagecache

from ..models import ProgramSession


def sessions_for_series(*, series: Any, bookings: Iterable[Any]) -> list[ProgramSession]:
    """One session per booking of a staff series linked to a program (none for an unlinked series).

    Called inside series_create's transaction (through spaces' `series_booked`), so the series and its
    sessions are stored together or not at all.
    """
    if not series.program_id:
        return []
    pagecache.bump()  # bulk_create sends no signal; the program's page lists its sessions
    return ProgramSession.objects.bulk_create(
        ProgramSession(program_id=series.program_id, booking=b, starts_at=b.starts_at, ends_at=b.ends_at)
        for b in bookings
    )


def session_follow_booking(*, booking: Any) -> None:
    """A rescheduled booking moves the session held in it (the session copies its booking's time on save)."""
    session = ProgramSession.objects.filter(booking=booking).first()
    if session is not None:
        session.save()
