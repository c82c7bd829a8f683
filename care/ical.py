"""iCalendar (RFC 5545) for counselling appointments, the way spaces.ical writes bookings: UTC times,
a stable UID so calendar apps update the event in place, CANCELLED kept so they remove it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Appointment, AppointmentStatus

PRODID = "-//Hana//Counselling appointments//KO"
_STATUS = {
    AppointmentStatus.BOOKED: "CONFIRMED",
    AppointmentStatus.ATTENDED: "CONFIRMED",
    AppointmentStatus.NO_SHOW: "CONFIRMED",
    AppointmentStatus.CANCELLED: "CANCELLED",
}


def _event(appointment: Appointment) -> Event:
    from .services.appointments import where

    event = Event()
    link = f"{settings.SITE_URL}/care/appointments/{appointment.pk}/"
    event.add("uid", f"counselling-{appointment.pk}@{settings.ICAL_UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", appointment.ends_at.astimezone(UTC))
    # No topic or intake: a calendar is often shared or synced to other services.
    event.add("summary", str(appointment.service))
    event.add("location", where(appointment))
    event.add("description", f"{appointment.reference}\n{link}")
    event.add("status", _STATUS[appointment.status])
    event.add("url", link)
    return event


def appointment_calendar(appointments: Iterable[Appointment]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for appointment in appointments:
        calendar.add_component(_event(appointment))
    return calendar.to_ical()
