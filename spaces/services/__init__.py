"""Every state change of the spaces app, whoever asks for it (resident pages, the admin, the API, Celery).

Each change is one transaction: it locks the row it changes, checks the transition table, writes the
audit event and queues the resident's notification on commit (the outbox). Never double-booked: see
locking.

Modules: bookings (a booking's life and its workflow), series (staff series), suspensions (no-show bans),
reminders, feeds (the private calendar feed), accounts (account deletion and data download), errors,
locking.
"""

from .accounts import bookings_for_data_export, bookings_release_for_deleted_account
from .bookings import (
    TRANSITIONS,
    booking_cancel,
    booking_create,
    booking_decide,
    booking_flow,
    booking_mark_attendance,
    booking_reschedule,
    booking_staff_cancel,
    cancel_deadline,
    resident_can_change,
)
from .errors import BookingError, SeriesConflict, SeriesError
from .feeds import calendar_feed_create, calendar_feed_revoke, calendar_feed_user
from .reminders import bookings_send_reminders
from .series import series_cancel, series_conflicts, series_create, series_dates
from .suspensions import suspension_lift

__all__ = [
    "TRANSITIONS",
    "BookingError",
    "SeriesConflict",
    "SeriesError",
    "booking_cancel",
    "booking_create",
    "booking_decide",
    "booking_flow",
    "booking_mark_attendance",
    "booking_reschedule",
    "booking_staff_cancel",
    "bookings_for_data_export",
    "bookings_release_for_deleted_account",
    "bookings_send_reminders",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "cancel_deadline",
    "resident_can_change",
    "series_cancel",
    "series_conflicts",
    "series_create",
    "series_dates",
    "suspension_lift",
]
