"""What the spaces admin modules share: scoping of choices, Seoul-time display, the reason form."""

from __future__ import annotations

from datetime import date, datetime

import holidays
from django import forms
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy

from portal.identifiers import refuse_identifiers
from portal.masking import mask_name
from portal.models import District
from portal.timeutils import to_local

from ..models import (
    Booking,
    BookingStatus,
    Room,
    Space,
)

B = BookingStatus
# A bulk action runs one locked transaction per row: keep one request's work bounded.
BULK_LIMIT = 500
# Their own context, so the Korean catalogue can say 월, 화… (Django's own "Mon" reads 월요일).
WEEKDAY_SHORT = {
    0: pgettext_lazy("abbreviated weekday", "Mon"),
    1: pgettext_lazy("abbreviated weekday", "Tue"),
    2: pgettext_lazy("abbreviated weekday", "Wed"),
    3: pgettext_lazy("abbreviated weekday", "Thu"),
    4: pgettext_lazy("abbreviated weekday", "Fri"),
    5: pgettext_lazy("abbreviated weekday", "Sat"),
    6: pgettext_lazy("abbreviated weekday", "Sun"),
}


# --- shared helpers ----------------------------------------------------------------------------------


def own_districts(request: HttpRequest):
    """The districts the user may file rows under: all for a city admin, their own for district staff."""
    return District.objects.select_related("city").order_by("code").visible_to(request.user)


def visible_rooms(request: HttpRequest):
    return Room.objects.filter(space__in=Space.objects.visible_to(request.user)).select_related("space")


def local_span(starts_at: datetime, ends_at: datetime) -> str:
    """'2026-11-24 (Tue) 10:00–12:00' in Seoul time."""
    start, end = to_local(starts_at), to_local(ends_at)
    day = f"{start:%Y-%m-%d} ({WEEKDAY_SHORT[start.weekday()]})"
    if end.date() != start.date():
        return f"{day} {start:%H:%M}–{end:%Y-%m-%d %H:%M}"
    return f"{day} {start:%H:%M}–{end:%H:%M}"


def local_moment(moment: datetime | None) -> str:
    return f"{to_local(moment):%Y-%m-%d %H:%M}" if moment else "—"


def status_badge(status: str, label) -> str:
    """The status as words (never colour alone), styled by admin-spaces.css."""
    return format_html('<span class="booking-status booking-status-{}">{}</span>', status, label)


def who_booked(booking: Booking) -> str:
    """A list's view of who holds the room: the household's name masked, or the staff series' title."""
    if booking.household_id is None:
        if booking.series_id is not None:
            return gettext("Series: %(title)s") % {"title": booking.series.title}
        return gettext("Staff booking: %(purpose)s") % {"purpose": booking.purpose}
    return mask_name(booking.household.name) or "—"


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def korean_holidays(first: date, last: date) -> dict[date, str]:
    """Public holidays (substitute holidays included) from first to last, named in Korean."""
    years = list(range(first.year, last.year + 1))
    try:
        calendar = holidays.KR(years=years, language="ko")
    except (NotImplementedError, TypeError, ValueError):  # a holidays release without Korean names
        calendar = holidays.KR(years=years)
    return {day: str(name) for day, name in sorted(calendar.items()) if first <= day <= last}


class ReasonForm(forms.Form):
    """The confirmation page's form: a reason box when the resident must be told why."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}), max_length=2000, validators=[refuse_identifiers]
    )

    def __init__(self, *args, reason_label=None, reason_required="", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if reason_label is None:
            del self.fields["reason"]
        else:
            field = self.fields["reason"]
            field.label = reason_label
            field.error_messages["required"] = reason_required

    @property
    def reason_text(self) -> str:
        return self.cleaned_data.get("reason", "")
