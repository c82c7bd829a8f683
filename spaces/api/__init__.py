"""Community spaces over the API: anyone browses spaces and a room's free time (public); residents book,
move, cancel and export their own bookings (resident); district staff run their district's bookings and
program series (staff).

Every change goes through spaces.services (the same functions as the pages and the admin), so the booking
rules, the no-overlap guarantee, the audit events and the notifications are theirs. These modules check
the shape of what is sent; a service's refusal (BookingError) reaches the API's one exception handler
(portal.api.errors), with every failed rule under `fields` and the first one's code as `code`:

    {"error": {"status": 400, "code": "too_long", "message": "…", "fields": {"ends_at": ["…"]}}}

HTTP status: 409 when the time is taken (taken), a series has dates that cannot be booked (conflicts,
with a `conflicts` list), or the booking's status does not allow the change (invalid_transition); 404 for
someone else's booking or another district's; 400 for every other refusal.

Datetimes are ISO 8601 with Seoul's offset (+09:00); a datetime sent without an offset is Seoul time.
"""

from .public import RoomViewSet, SpaceViewSet
from .resident import BookingViewSet
from .staff import StaffBookingSeriesViewSet, StaffBookingViewSet

__all__ = [
    "BookingViewSet",
    "RoomViewSet",
    "SpaceViewSet",
    "StaffBookingSeriesViewSet",
    "StaffBookingViewSet",
]
