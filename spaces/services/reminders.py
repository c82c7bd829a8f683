"""The day-before reminder of each confirmed booking."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.notifications import notify
from portal.timeutils import local_datetime, local_today

from ..models import Booking, BookingStatus
from .bookings import message_context


def bookings_send_reminders(*, now: datetime | None = None) -> int:
    """Remind every confirmed booking that starts tomorrow (Seoul date). Idempotent: the notification's
    event key and reminder_sent_at both say it was sent."""
    now = now or timezone.now()
    tomorrow = local_today(now) + timedelta(days=1)
    day_from = local_datetime(tomorrow, time.min)
    due = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            household__isnull=False,
            reminder_sent_at__isnull=True,
            starts_at__gte=day_from,
            starts_at__lt=day_from + timedelta(days=1),
        )
        .select_related("room__space", "household__user")
        .order_by("pk")
    )
    sent = 0
    for booking in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            # Not a workflow move: keyed by the booking's start, so a moved booking is reminded again.
            notify(
                user=booking.household.user,
                template="booking.reminder",
                event_key=f"booking:{booking.pk}:reminder:{booking.starts_at.isoformat()}",
                context=message_context(booking, reason=""),
            )
            sent += 1
    return sent
