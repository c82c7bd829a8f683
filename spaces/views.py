"""The resident's side of community spaces: the list of spaces, a space's page, a room's week of free and
taken times, the booking form, "My bookings" with cancelling, changing the time and the .ics download,
and the private calendar feed.

Every booking rule lives in spaces.rules and every change in spaces.services; these views turn form
posts into service calls and refusals (BookingError) into messages next to the fields they concern, so
no bad input ends in a 500. Times are shown, and read from forms, in Asia/Seoul.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from households.selectors import household_for
from households.services import applicant_household
from portal.errors import DomainError
from portal.models import District
from portal.timeutils import local_today, to_local

from .availability import Day, SlotState, room_days, slot_times
from .forms import BookingForm, BookingTimeForm, initial_from_query
from .ical import calendar_for
from .models import (
    UPCOMING_STATUSES,
    Booking,
    BookingPolicy,
    BookingStatus,
    CalendarFeed,
    Closure,
    OpeningHours,
    Room,
    Space,
    Suspension,
    Weekday,
)
from .rules import check_booking, week_start
from .services import (
    BookingError,
    booking_cancel,
    booking_create,
    booking_reschedule,
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feed_user,
    cancel_deadline,
    resident_can_change,
)

PAGE_SIZE = 20
FEED_DAYS_BACK = 60


# --- helpers -----------------------------------------------------------------------------------------


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


def _opening_hours(space_id: int) -> list[tuple[time, time, int]]:
    return list(
        OpeningHours.objects.filter(space_id=space_id)
        .order_by("weekday", "opens")
        .values_list("opens", "closes", "weekday")
    )


def _weekly(rows: list[tuple[time, time, int]]) -> list[tuple[str, list[tuple[time, time]]]]:
    """Each weekday, Monday first, with its opening intervals (none: closed that day)."""
    by_day: dict[int, list[tuple[time, time]]] = {}
    for opens, closes, weekday in rows:
        by_day.setdefault(weekday, []).append((opens, closes))
    return [(str(day.label), by_day.get(day.value, [])) for day in Weekday]


def _bookable_room(pk: int) -> Room:
    return get_object_or_404(
        Room.objects.select_related("space__district__city"), pk=pk, is_active=True, space__is_active=True
    )


def _own_booking(request: HttpRequest, pk: int) -> Booking:
    """One of the resident's own bookings; anyone else's is "not found", never "forbidden"."""
    return get_object_or_404(
        Booking.objects.select_related("room__space__district__city", "household"),
        pk=pk,
        household__user_id=request.user.pk,
    )


def _when(booking: Booking) -> str:
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    return f"{start:%Y.%m.%d %H:%M}–{end:%H:%M}"


def _place(booking: Booking) -> str:
    return f"{booking.room.space.display_name} · {booking.room.display_name}"


def _add_booking_error(form: BookingTimeForm, error: DomainError) -> None:
    if isinstance(error, BookingError) and error.failures:
        form.add_failures(error.by_field())
    else:
        form.add_error(None, error.message)


def _book_link(room: Room, start: datetime, end: datetime | None) -> str:
    query = {"date": start.date().isoformat(), "start": f"{start:%H:%M}"}
    if end is not None and end.date() == start.date():
        query["end"] = f"{end:%H:%M}"
    return f"{reverse('spaces:book', args=[room.pk])}?{urlencode(query)}"


# --- spaces ------------------------------------------------------------------------------------------


def space_list(request: HttpRequest) -> HttpResponse:
    """Open spaces with their rooms: the resident's own district first, then the rest of their city.
    A fixed number of queries however many spaces and rooms there are."""
    household = household_for(request.user)
    districts = list(
        District.objects.filter(spaces__is_active=True).select_related("city").distinct().order_by("code")
    )
    code = (request.GET.get("district") or "").strip()
    selected = next((d for d in districts if d.code == code), None)
    spaces = (
        Space.objects.filter(is_active=True)
        .select_related("district__city", "neighbourhood")
        .prefetch_related(
            Prefetch(
                "rooms",
                queryset=Room.objects.filter(is_active=True).order_by("name", "pk"),
                to_attr="active_rooms",
            )
        )
    )
    if selected is not None:
        spaces = spaces.filter(district=selected)
    order = ["district__code", "name", "pk"]
    if household is not None:
        spaces = spaces.annotate(
            nearness=Case(
                When(district_id=household.district_id, then=Value(0)),
                When(district__city_id=household.district.city_id, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        order = ["nearness", *order]
    return render(
        request,
        "spaces/list.html",
        {
            "spaces": list(spaces.order_by(*order)),
            "districts": districts,
            "selected": selected,
            "unknown_district": bool(code) and selected is None,
            "household": household,
        },
    )


def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(Space.objects.select_related("district__city", "neighbourhood"), slug=slug)
    rooms = list(space.rooms.filter(is_active=True).order_by("name", "pk")) if space.is_active else []
    for room in rooms:
        room.rule_lines = room_rule_lines(room)
    today = local_today()
    closures = list(
        Closure.objects.filter(space=space, ends_on__gte=today)
        .select_related("room")
        .order_by("starts_on", "pk")[:20]
    )
    return render(
        request,
        "spaces/detail.html",
        {
            "space": space,
            "rooms": rooms,
            "weekly_hours": _weekly(_opening_hours(space.pk)),
            "closures": closures,
            "policy": BookingPolicy.for_district(space.district_id),
        },
    )


# --- a room's week -----------------------------------------------------------------------------------


@dataclass
class Cell:
    day: date
    starts_at: datetime | None
    state: str
    url: str = ""


@dataclass
class Row:
    starts: time
    cells: list[Cell]


@dataclass
class FreeInterval:
    starts_at: datetime
    ends_at: datetime
    url: str  # empty when it is shorter than the room's shortest booking


@dataclass
class DayList:
    day: Day
    free: list[FreeInterval]


def _week_grid(room: Room, days: list[Day]) -> list[Row]:
    shortest = timedelta(minutes=room.min_minutes)
    slots_by_day = [{slot.starts_at.time(): slot for slot in day.slots} for day in days]
    rows = []
    for clock in slot_times(days):
        cells = []
        for day, slots in zip(days, slots_by_day, strict=True):
            slot = slots.get(clock)
            if slot is None:
                cells.append(Cell(day.day, None, SlotState.CLOSED))
                continue
            url = _book_link(room, slot.starts_at, slot.starts_at + shortest) if slot.bookable else ""
            cells.append(Cell(day.day, slot.starts_at, slot.state, url))
        rows.append(Row(clock, cells))
    return rows


def _day_lists(room: Room, days: list[Day]) -> list[DayList]:
    shortest = timedelta(minutes=room.min_minutes)
    lists = []
    for day in days:
        free = []
        for start, end in day.free_intervals:
            long_enough = end - start >= shortest
            free.append(
                FreeInterval(start, end, _book_link(room, start, start + shortest) if long_enough else "")
            )
        lists.append(DayList(day, free))
    return lists


def room_week(request: HttpRequest, pk: int) -> HttpResponse:
    """One week (Monday–Sunday, Seoul time) of the room's slots, each saying in words whether it is free.
    Weeks before this one and after the room's booking window are not shown."""
    room = _bookable_room(pk)
    now = timezone.now()
    today = local_today(now)
    first_monday = week_start(today)
    last_monday = week_start(today + timedelta(days=room.max_days_ahead))
    monday = first_monday
    bad_week = False
    raw = (request.GET.get("week") or "").strip()
    if raw:
        try:
            asked = date.fromisoformat(raw[:10])
        except ValueError:
            bad_week = True
        else:
            monday = min(max(week_start(asked), first_monday), last_monday)
    sunday = monday + timedelta(days=6)
    days = room_days(room, monday, sunday, now=now)
    return render(
        request,
        "spaces/room_week.html",
        {
            "room": room,
            "space": room.space,
            "days": days,
            "rows": _week_grid(room, days),
            "day_lists": _day_lists(room, days),
            "monday": monday,
            "sunday": sunday,
            "previous_week": monday - timedelta(days=7) if monday > first_monday else None,
            "next_week": monday + timedelta(days=7) if monday < last_monday else None,
            "this_week": first_monday if monday != first_monday else None,
            "bad_week": bad_week,
            "slot_length": duration_text(room.slot_minutes),
            "rule_lines": room_rule_lines(room),
        },
    )


# --- booking -----------------------------------------------------------------------------------------


def _created_message(booking: Booking) -> str:
    values = {"reference": booking.reference, "place": _place(booking), "when": _when(booking)}
    if booking.status == BookingStatus.PENDING:
        return (
            _(
                "Request sent: %(place)s, %(when)s (reference %(reference)s). Staff approve bookings of "
                "this room: we will tell you when they decide."
            )
            % values
        )
    return _("Booked: %(place)s, %(when)s. Your booking %(reference)s is confirmed.") % values


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    room = _bookable_room(pk)
    try:
        household = applicant_household(request.user)
    except DomainError as error:
        return render(
            request, "spaces/profile_needed.html", {"room": room, "space": room.space, "error": error}
        )
    hours = [(opens, closes) for opens, closes, _day in _opening_hours(room.space_id)]
    if request.method == "POST":
        form = BookingForm(request.POST, room=room, hours=hours)
        if form.is_valid():
            try:
                booking = booking_create(
                    user=request.user,
                    room_id=room.pk,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    headcount=form.cleaned_data["headcount"],
                    purpose=form.cleaned_data["purpose"],
                    request=request,
                )
            except DomainError as error:  # BookingError: the rules that failed, each with its field
                _add_booking_error(form, error)
            else:
                messages.success(request, _created_message(booking))
                return redirect("spaces:booking_detail", pk=booking.pk)
        elif form.starts_at and form.ends_at:
            # Say every rule the time breaks now, not after the form's own mistakes are fixed.
            form.add_failures(
                check_booking(
                    room=room,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    headcount=form.cleaned_data.get("headcount"),
                    purpose=form.cleaned_data.get("purpose", ""),
                    household_id=household.pk,
                )
            )
    else:
        form = BookingForm(initial=initial_from_query(request.GET, room), room=room, hours=hours)
    return render(
        request,
        "spaces/book.html",
        {"room": room, "space": room.space, "form": form, "rule_lines": room_rule_lines(room)},
    )


# --- my bookings -------------------------------------------------------------------------------------


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    mine = Booking.objects.filter(household__user_id=request.user.pk).select_related("room__space")
    upcoming = list(mine.filter(status__in=UPCOMING_STATUSES, ends_at__gt=now).order_by("starts_at", "pk"))
    for booking in upcoming:
        booking.can_change = resident_can_change(booking, now)
    others = mine.exclude(status__in=UPCOMING_STATUSES, ends_at__gt=now).order_by("-starts_at", "-pk")
    page = Paginator(others, PAGE_SIZE).get_page(request.GET.get("page"))
    household = household_for(request.user)
    suspensions = (
        list(
            Suspension.objects.filter(
                household=household, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now
            ).select_related("district__city")
        )
        if household
        else []
    )
    return render(
        request,
        "spaces/bookings.html",
        {
            "upcoming": upcoming,
            "page_obj": page,
            "past": page.object_list,
            "querystring": "",
            "suspensions": suspensions,
        },
    )


def _detail_context(booking: Booking) -> dict:
    return {
        "booking": booking,
        "space": booking.room.space,
        "can_change": resident_can_change(booking),
        "is_upcoming": booking.status in UPCOMING_STATUSES and booking.ends_at > timezone.now(),
        "deadline": cancel_deadline(booking),
    }


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "spaces/booking_detail.html", _detail_context(_own_booking(request, pk)))


@login_required
def booking_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    if request.method == "POST":
        try:
            booking_cancel(user=request.user, booking_id=booking.pk, request=request)
        except Booking.DoesNotExist as missing:
            raise Http404 from missing
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your booking %(reference)s is cancelled.") % {"reference": booking.reference}
            )
        return redirect("spaces:booking_detail", pk=booking.pk)
    if booking.status not in UPCOMING_STATUSES:
        messages.info(
            request,
            _("This booking is %(status)s: there is nothing to cancel.")
            % {"status": booking.get_status_display()},
        )
        return redirect("spaces:booking_detail", pk=booking.pk)
    return render(request, "spaces/booking_cancel.html", _detail_context(booking))


@login_required
def booking_change(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    room = booking.room
    if not resident_can_change(booking):
        messages.error(request, _("This booking can no longer be changed online. Please call the space."))
        return redirect("spaces:booking_detail", pk=booking.pk)
    hours = [(opens, closes) for opens, closes, _day in _opening_hours(room.space_id)]
    if request.method == "POST":
        form = BookingTimeForm(request.POST, room=room, hours=hours)
        if form.is_valid():
            try:
                booking = booking_reschedule(
                    actor=request.user,
                    booking_id=booking.pk,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    request=request,
                )
            except Booking.DoesNotExist as missing:
                raise Http404 from missing
            except DomainError as error:
                _add_booking_error(form, error)
            else:
                if booking.status == BookingStatus.PENDING:
                    message = _(
                        "Time changed to %(when)s. Staff approve the new time: we will tell you when they "
                        "decide."
                    )
                else:
                    message = _("Time changed to %(when)s. Your booking is confirmed.")
                messages.success(request, message % {"when": _when(booking)})
                return redirect("spaces:booking_detail", pk=booking.pk)
    else:
        start, end = to_local(booking.starts_at), to_local(booking.ends_at)
        form = BookingTimeForm(
            initial={
                "date": start.date().isoformat(),
                "start_time": f"{start:%H:%M}",
                "end_time": f"{end:%H:%M}",
            },
            room=room,
            hours=hours,
        )
    return render(request, "spaces/booking_change.html", {**_detail_context(booking), "form": form})


def _ics_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@require_safe
def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    content = calendar_for([booking], name=_place(booking))
    return _ics_response(content, f"{booking.reference}.ics", attachment=True)


# --- the private calendar feed -----------------------------------------------------------------------


def _feed_addresses(token: str) -> dict[str, str]:
    https = f"{settings.SITE_URL.rstrip('/')}{reverse('spaces:feed', args=[token])}"
    return {"feed_url": https, "webcal_url": "webcal://" + https.split("://", 1)[-1]}


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Make (or replace) and revoke the resident's private feed address. The address is shown once,
    in the answer to the POST that makes it: only its hash is kept."""
    addresses: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            if calendar_feed_revoke(user=request.user):
                messages.success(
                    request, _("Your calendar feed address is turned off. Calendars using it stop updating.")
                )
            return redirect("spaces:calendar_feed")
        if action != "create":
            return redirect("spaces:calendar_feed")
        addresses = _feed_addresses(calendar_feed_create(user=request.user))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    response = render(request, "spaces/calendar_feed.html", {"feed": feed, **addresses})
    if addresses:
        response["Cache-Control"] = "no-store"  # the address is a secret: never keep the page
    return response


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app polls: no login, the token is the key. Unknown or revoked: not found."""
    user = calendar_feed_user(token)
    if user is None:
        raise Http404
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    bookings = (
        Booking.objects.filter(household__user_id=user.pk, starts_at__gte=since)
        .select_related("room__space")
        .order_by("starts_at", "pk")
    )
    response = _ics_response(
        calendar_for(bookings, name=_("Hana: my community space bookings")),
        "hana-bookings.ics",
        attachment=False,
    )
    response["Cache-Control"] = "private, max-age=900"
    return response
