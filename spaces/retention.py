"""The spaces app's class in the retention table: what residents wrote on finished bookings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .models import Booking, BookingStatus

# Bookings that will not change again. Pending and confirmed ones are still live whatever their date.
FINISHED = (BookingStatus.ATTENDED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED, BookingStatus.REJECTED)


def bookings_due(*, now, cutoff) -> models.QuerySet:
    # Already blanked rows are not due again (the run is idempotent). The booking itself stays: the
    # room's record of use and the no-show count (penalties) need its time, room and status only.
    return Booking.objects.filter(status__in=FINISHED, ends_at__lt=cutoff).filter(
        ~Q(purpose="") | ~Q(reason="")
    )


def bookings_prune(*, pks, now) -> int:
    """Blank the purpose (the resident's words) and the staff's reason on the booking and on every
    historical copy of it (django-simple-history keeps one per change)."""
    done = Booking.objects.filter(pk__in=pks, status__in=FINISHED).update(purpose="", reason="")
    Booking.history.model.objects.filter(id__in=pks).update(purpose="", reason="")
    return done


def register_retention() -> None:
    register(
        DataClass(
            key="bookings",
            label=_("What you wrote as the purpose of a space booking"),
            outcome=_("blanked, counted from the end of the booking"),
            setting="RETENTION_BOOKINGS_DAYS",
            due=bookings_due,
            prune=bookings_prune,
            order=30,
        )
    )
