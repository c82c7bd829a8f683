"""Browsing: the list of spaces, a space's page and a room's week of free and taken times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from households.selectors import household_for
from portal.models import District
from portal.pagecache import shared_page
from portal.timeutils import local_today, parse_supported_date

from ..availability import Day, SlotState, room_days, slot_times
from ..models import BookingPolicy, Closure, Room, Space
from ..rules import week_start
from .common import book_link, bookable_room, duration_text, opening_hours, room_rule_lines, weekly

# --- spaces ------------------------------------------------------------------------------------------


@shared_page(params=("district",))
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


@shared_page()
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
            "weekly_hours": weekly(opening_hours(space.pk)),
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
            url = book_link(room, slot.starts_at, slot.starts_at + shortest) if slot.bookable else ""
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
                FreeInterval(start, end, book_link(room, start, start + shortest) if long_enough else "")
            )
        lists.append(DayList(day, free))
    return lists


def room_week(request: HttpRequest, pk: int) -> HttpResponse:
    """One week (Monday–Sunday, Seoul time) of the room's slots, each saying in words whether it is free.
    Weeks before this one and after the room's booking window are not shown."""
    room = bookable_room(pk)
    now = timezone.now()
    today = local_today(now)
    first_monday = week_start(today)
    last_monday = week_start(today + timedelta(days=room.max_days_ahead))
    monday = first_monday
    bad_week = False
    raw = (request.GET.get("week") or "").strip()
    if raw:
        asked = parse_supported_date(raw)
        if asked is None:
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
