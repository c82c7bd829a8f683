from celery import shared_task

from .services import bookings_send_reminders


@shared_task
def send_booking_reminders() -> int:
    """Reminders for tomorrow's bookings (Seoul date); hourly, so late bookings are reminded too."""
    return bookings_send_reminders()
