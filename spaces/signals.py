"""Events spaces announces, so the apps above it can react without spaces importing them."""

from django.dispatch import Signal

# Sent inside series_create's transaction once a staff series' bookings exist.
# kwargs: series (a BookingSeries, its program_id possibly set), bookings (the new Booking rows).
# programs answers by creating the program's sessions for a series linked to a program.
series_booked = Signal()

# Sent inside booking_reschedule's transaction once the booking has its new time. kwargs: booking.
# programs answers by copying the new time onto the session held in that booking.
booking_rescheduled = Signal()
