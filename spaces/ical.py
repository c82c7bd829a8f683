"""iCalendar (RFC 5545) for bookings, written with the `icalendar` library: one .ics per booking, and a
resident's private feed of all their bookings (calendar apps poll it; cancelled ones stay, marked
CANCELLED, so a subscribed calendar removes them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import Booking, BookingStatus

PRODID = "-//Hana//Community space bookings//KO"
_STATUS = {
    BookingStatus.PENDING: "TENTATIVE",
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.ATTENDED: "CONFIRMED",
    BookingStatus.NO_SHOW: "CONFIRMED",
    BookingStatus.REJECTED: "CANCELLED",
    BookingStatus.CANCELLED: "CANCELLED",
}


def _event(booking: Booking) -> Event:
    room = booking.room
    space = room.space
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{settings.ICAL_UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    # Stored and written in UTC ("Z"): every calendar app shows it in the reader's own time zone.
    event.add("dtstart", booking.starts_at.astimezone(UTC))
    event.add("dtend", booking.ends_at.astimezone(UTC))
    event.add("summary", f"{space.display_name} · {room.display_name}")
    event.add("location", vText(space.address))
    event.add(
        "description",
        f"{booking.reference}\n{booking.purpose}\n{settings.SITE_URL}/spaces/bookings/{booking.pk}/",
    )
    event.add("status", _STATUS[booking.status])
    event.add("url", f"{settings.SITE_URL}/spaces/bookings/{booking.pk}/")
    return event


def calendar_for(bookings: Iterable[Booking], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for booking in bookings:
        calendar.add_component(_event(booking))
    return calendar.to_ical()
