"""The resident's side of community spaces: browsing spaces and a room's week (spaces), booking and "My
bookings" (bookings), the private calendar feed (feeds).

Every booking rule lives in spaces.rules and every change in spaces.services; these views turn form
posts into service calls and refusals (BookingError) into messages next to the fields they concern, so
no bad input ends in a 500. Times are shown, and read from forms, in Asia/Seoul.
"""

from .bookings import book, booking_cancel_view, booking_change, booking_detail, booking_ics, booking_list
from .feeds import calendar_feed, feed
from .spaces import room_week, space_detail, space_list

__all__ = [
    "book",
    "booking_cancel_view",
    "booking_change",
    "booking_detail",
    "booking_ics",
    "booking_list",
    "calendar_feed",
    "feed",
    "room_week",
    "space_detail",
    "space_list",
]
