"""spaces' part when a resident's account is deleted or they download their data (households announces
both: see spaces.receivers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest

from households.models import Household
from portal.models import User

from ..models import UPCOMING_STATUSES, Booking, BookingStatus, CalendarFeed
from .bookings import booking_flow


def bookings_release_for_deleted_account(
    *, user: User, household: Household | None, now: datetime, request: HttpRequest | None = None
) -> int:
    """Rooms booked by an account that no longer exists would stand empty: cancel its upcoming bookings,
    each through the workflow (audit event, history), and revoke its calendar feeds. Nobody is told:
    the account is gone. Then the purpose the resident typed is erased from every booking of theirs,
    past ones and their history rows included (people write their own names there); the bookings
    stay, without it, for the rooms' use figures."""
    released = 0
    if household is not None:
        upcoming = Booking.objects.filter(
            household=household, status__in=UPCOMING_STATUSES, starts_at__gt=now
        )
        for booking_id in upcoming.order_by("pk").values_list("pk", flat=True):
            booking = booking_flow.lock(booking_id)
            if booking.status not in UPCOMING_STATUSES:  # staff decided or cancelled it meanwhile
                continue
            booking_flow.move(
                booking,
                BookingStatus.CANCELLED,
                actor=user,
                request=request,
                cancelled_at=now,
                reason="account deleted",
            )
            released += 1
        Booking.objects.filter(household=household).update(purpose="")
        Booking.history.filter(household_id=household.pk).update(purpose="")
    CalendarFeed.objects.filter(user=user).delete()
    return released


def bookings_for_data_export(*, household: Household | None) -> dict[str, Any]:
    """The bookings section of a resident's data download (PIPA art. 35)."""
    if household is None:
        return {}
    return {
        "bookings": [
            {
                "reference": b.reference,
                "space": b.room.space.name,
                "room": b.room.name,
                "starts_at": b.starts_at.isoformat(),
                "ends_at": b.ends_at.isoformat(),
                "headcount": b.headcount,
                "purpose": b.purpose,
                "status": b.status,
            }
            for b in Booking.objects.filter(household=household)
            .select_related("room__space")
            .order_by("starts_at")
        ]
    }
