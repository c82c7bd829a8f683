"""Resident forms of the spaces app. They check shape only (a real date, a time on the room's slot step
from the list, a number); every booking rule is spaces.rules', and its refusals are put back next to
the field they concern (BookingTimeForm.add_failures)."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.identifiers import refuse_identifiers
from portal.timeutils import local_datetime, local_today, parse_supported_date

from .models import OpeningHours, Room
from .rules import RuleFailure

# Which form field shows a rule failure of this BookingError field ("__all__": the top of the form).
FAILURE_FIELDS = {
    "starts_at": "start_time",
    "ends_at": "end_time",
    "headcount": "headcount",
    "purpose": "purpose",
}

# Dates further than this from today are refused by the form (the booking window is at most a few
# months): a year-9999 date would otherwise overflow the weekly-limit arithmetic.
DATE_SANITY_DAYS = 3 * 366


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def slot_choices(room: Room, hours: list[tuple[time, time]] | None = None) -> tuple[list[str], list[str]]:
    """The start and end times a booking of `room` can have: on the slot step, inside any of the
    space's opening intervals (any weekday: which day applies is only known once the date is read).
    With no opening hours at all, every step of the day, so the form still shows the rule's answer."""
    if hours is None:
        hours = list(
            OpeningHours.objects.filter(space_id=room.space_id).values_list("opens", "closes").distinct()
        )
    step = room.slot_minutes or 30
    starts: set[int] = set()
    ends: set[int] = set()
    intervals = [(o.hour * 60 + o.minute, c.hour * 60 + c.minute) for o, c in hours] or [(0, 24 * 60 - 1)]
    for opens, closes in intervals:
        first = -(-opens // step) * step  # the first step at or after opening
        minute = first
        while minute + step <= closes:
            starts.add(minute)
            ends.add(minute + step)
            minute += step
    return [_clock(m) for m in sorted(starts)], [_clock(m) for m in sorted(ends) if m < 24 * 60]


class BookingTimeForm(forms.Form):
    """Date, start and end: the part a new booking and a change of time share."""

    date = SupportedDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of your booking."),
            "invalid": _("Enter a real date, e.g. 2026-03-02."),
        },
    )
    start_time = forms.ChoiceField(
        label=_("Start time"),
        error_messages={
            "required": _("Choose the start time."),
            "invalid_choice": _("Choose a start time from the list."),
        },
    )
    end_time = forms.ChoiceField(
        label=_("End time"),
        error_messages={
            "required": _("Choose the end time."),
            "invalid_choice": _("Choose an end time from the list."),
        },
    )

    def __init__(self, *args, room: Room, hours: list[tuple[time, time]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.room = room
        starts, ends = slot_choices(room, hours)
        placeholder = [("", _("Choose a time"))]
        self.fields["start_time"].choices = placeholder + [(value, value) for value in starts]
        self.fields["end_time"].choices = placeholder + [(value, value) for value in ends]
        today = local_today()
        self.fields["date"].widget.attrs.update(
            {"min": today.isoformat(), "max": (today + timedelta(days=room.max_days_ahead)).isoformat()}
        )
        self.fields["date"].help_text = _("Up to %(days)d days ahead, e.g. %(example)s.") % {
            "days": room.max_days_ahead,
            "example": (today + timedelta(days=1)).isoformat(),
        }

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        today = local_today()
        if abs((day - today).days) > DATE_SANITY_DAYS:
            raise forms.ValidationError(
                _("Choose a date within the next %(days)d days.") % {"days": self.room.max_days_ahead},
                code="date_range",
            )
        return day

    def _moment(self, name: str) -> datetime | None:
        day, value = self.cleaned_data.get("date"), self.cleaned_data.get(name)
        if not day or not value:
            return None
        return local_datetime(day, time.fromisoformat(value))

    @property
    def starts_at(self) -> datetime | None:
        """The chosen start as an aware datetime in Asia/Seoul (None until the date and time are valid)."""
        return self._moment("start_time")

    @property
    def ends_at(self) -> datetime | None:
        return self._moment("end_time")

    def add_failures(self, failures: list[RuleFailure] | dict[str, list[str]]) -> None:
        """Put the booking rules' refusals next to their fields; fields that already show a form error
        keep only that one (it is the more basic problem)."""
        by_field = failures
        if isinstance(failures, list):
            by_field = {}
            for failure in failures:
                by_field.setdefault(failure.field, []).append(failure.message)
        for field, messages in by_field.items():
            name = FAILURE_FIELDS.get(field)
            if name not in self.fields:
                name = None
            if name is not None and name in self.errors:
                continue
            for message in messages:
                self.add_error(name, message)


class BookingForm(BookingTimeForm):
    headcount = forms.IntegerField(
        label=_("How many people, including you?"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Say how many people will come (at least 1)."),
            "invalid": _("Enter the number of people as a whole number, e.g. 4."),
        },
    )
    purpose = forms.CharField(
        label=_("What is the room for?"),
        max_length=200,
        validators=[refuse_identifiers],
        help_text=_("For example: a book club meeting, a cooking class for neighbours."),
        error_messages={
            "required": _("Say what the room is for (e.g. a book club meeting)."),
            "max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    agree_rules = forms.BooleanField(
        label=_("I have read the house rules and agree to follow them."),
        error_messages={"required": _("Agree to the house rules to book the room.")},
    )

    def __init__(self, *args, room: Room, **kwargs) -> None:
        super().__init__(*args, room=room, **kwargs)
        self.fields["headcount"].help_text = _("This room holds up to %(capacity)d people.") % {
            "capacity": room.capacity
        }
        self.order_fields(["date", "start_time", "end_time", "headcount", "purpose", "agree_rules"])

    def clean_headcount(self) -> int:
        # Its limits (at least 1, at most the room's capacity) are the rules': only absurd numbers here.
        value = self.cleaned_data["headcount"]
        if value > 9999:
            raise forms.ValidationError(
                _("This room holds at most %(capacity)d people.") % {"capacity": self.room.capacity}
            )
        return value


def initial_from_query(query: Any, room: Room) -> dict[str, str]:
    """Prefill from a week-view link (?date=2026-03-02&start=10:00&end=11:00); anything malformed is
    dropped rather than shown."""
    initial: dict[str, str] = {}
    day = parse_supported_date(query.get("date") or "")
    if day is not None:
        initial["date"] = day.isoformat()
    for key, name in (("start", "start_time"), ("end", "end_time")):
        value = query.get(key) or ""
        with contextlib.suppress(ValueError):
            if len(value) == 5:
                initial[name] = time.fromisoformat(value).strftime("%H:%M")
    return initial
