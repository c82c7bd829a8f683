"""What the resident pages share: the room's rules in words, opening hours, a booking's place and time,
and refusals put next to the form fields they concern."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.errors import DomainError
from portal.timeutils import to_local

from ..forms import BookingTimeForm
from ..models import Booking, OpeningHours, Room, Weekday
from ..services import BookingError


def duration_text(minutes: int) -> str:
    """90 → "1 hour 30 minutes" (translated)."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return " ".join(parts)


def room_rule_lines(room: Room) -> list[str]:
    """The room's booking rules in plain words, for the space page and the booking form."""
    first = datetime.combine(date.min, time(10))
    lines = [
        _("Bookings start and end in steps of %(step)s (e.g. %(first)s, %(second)s).")
        % {
            "step": duration_text(room.slot_minutes),
            "first": f"{first:%H:%M}",
            "second": f"{first + timedelta(minutes=room.slot_minutes):%H:%M}",
        },
        (
            _("A booking lasts %(length)s.") % {"length": duration_text(room.min_minutes)}
            if room.min_minutes == room.max_minutes
            else _("A booking lasts from %(shortest)s to %(longest)s.")
            % {"shortest": duration_text(room.min_minutes), "longest": duration_text(room.max_minutes)}
        ),
        ngettext(
            "Book up to %(days)d day ahead, and at least %(notice)s before the start.",
            "Book up to %(days)d days ahead, and at least %(notice)s before the start.",
            room.max_days_ahead,
        )
        % {"days": room.max_days_ahead, "notice": duration_text(room.min_notice_hours * 60)},
        (
            _("Staff approve each booking: you are told when they decide.")
            if room.requires_approval
            else _("A booking that meets these rules is confirmed at once.")
        ),
        (
            _("You can cancel or change a booking online until %(deadline)s before it starts.")
            % {"deadline": duration_text(room.cancel_deadline_hours * 60)}
            if room.cancel_deadline_hours
            else _("You can cancel or change a booking online until it starts.")
        ),
    ]
    return lines


def opening_hours(space_id: int) -> list[tuple[time, time, int]]:
    return list(
        OpeningHours.objects.filter(space_id=space_id)
        .order_by("weekday", "opens")
        .values_list("opens", "closes", "weekday")
    )


def weekly(rows: list[tuple[time, time, int]]) -> list[tuple[str, list[tuple[time, time]]]]:
    """Each weekday, Monday first, with its opening intervals (none: closed that day)."""
    by_day: dict[int, list[tuple[time, time]]] = {}
    for opens, closes, weekday in rows:
        by_day.setdefault(weekday, []).append((opens, closes))
    return [(str(day.label), by_day.get(day.value, [])) for day in Weekday]


def bookable_room(pk: int) -> Room:
    return get_object_or_404(
        Room.objects.select_related("space__district__city"), pk=pk, is_active=True, space__is_active=True
    )


def own_booking(request: HttpRequest, pk: int) -> Booking:
    """One of the resident's own bookings; anyone else's is "not found", never "forbidden"."""
    return get_object_or_404(
        Booking.objects.select_related("room__space__district__city", "household"),
        pk=pk,
        household__user_id=request.user.pk,
    )


def booking_when(booking: Booking) -> str:
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    return f"{start:%Y.%m.%d %H:%M}–{end:%H:%M}"


def booking_place(booking: Booking) -> str:
    return f"{booking.room.space.display_name} · {booking.room.display_name}"


def add_booking_error(form: BookingTimeForm, error: DomainError) -> None:
    if isinstance(error, BookingError) and error.failures:
        form.add_failures(error.by_field())
    else:
        form.add_error(None, error.message)


def book_link(room: Room, start: datetime, end: datetime | None) -> str:
    query = {"date": start.date().isoformat(), "start": f"{start:%H:%M}"}
    if end is not None and end.date() == start.date():
        query["end"] = f"{end:%H:%M}"
    return f"{reverse('spaces:book', args=[room.pk])}?{urlencode(query)}"


def ics_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
