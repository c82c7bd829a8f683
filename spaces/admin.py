"""Staff side of community spaces: spaces with their rooms, hours and closures; the district's booking
policy; the booking review queue; staff booking series; no-show bans; a calendar of each space.

Nothing here changes a booking by itself: approvals, refusals, attendance, cancellations, series and
lifting a ban all go through spaces.services (transition table, locks, audit events, notifications).
Every queryset is scoped through portal.scoping, so district staff see their own district's spaces only
and another district's row answers "doesn't exist", as Django's change view does.

Times: bookings are stored in UTC and shown in Asia/Seoul (spaces.rules.to_local); opening hours and
closures are local wall-clock times and dates already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Now
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator, ScopedHistoryMixin
from portal.masking import mask_name
from portal.models import District, Neighbourhood
from portal.scoping import (
    booking_series_visible_to,
    bookings_visible_to,
    programs_visible_to,
    spaces_visible_to,
    suspensions_visible_to,
)

from .availability import room_days
from .models import (
    ACTIVE_STATUSES,
    UPCOMING_STATUSES,
    AccessFeature,
    Amenity,
    Booking,
    BookingPolicy,
    BookingSeries,
    BookingStatus,
    Closure,
    ClosureReason,
    OpeningHours,
    Room,
    Space,
    Suspension,
    Weekday,
)
from .rules import active_suspension, local_datetime, to_local, week_start
from .services import (
    TRANSITIONS,
    BookingError,
    SeriesError,
    booking_decide,
    booking_mark_attendance,
    booking_staff_cancel,
    series_cancel,
    series_create,
    suspension_lift,
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
    user = request.user
    districts = District.objects.select_related("city").order_by("code")
    if user.sees_all_districts:
        return districts
    return districts.filter(pk=user.district_id) if user.district_id else districts.none()


def visible_rooms(request: HttpRequest):
    return Room.objects.filter(space__in=spaces_visible_to(request.user)).select_related("space")


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

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 70}), max_length=2000)

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


# --- spaces, rooms, hours, closures ----------------------------------------------------------------


class SpaceForm(forms.ModelForm):
    """Amenities and access features are JSON lists on the model: ticked here from their choices."""

    amenities = forms.MultipleChoiceField(
        label=_("Amenities"), choices=Amenity.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    access_features = forms.MultipleChoiceField(
        label=_("Accessibility features"),
        choices=AccessFeature.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Space
        fields = (
            "district",
            "neighbourhood",
            "name",
            "name_en",
            "slug",
            "is_active",
            "summary",
            "summary_en",
            "address",
            "directions",
            "phone",
            "amenities",
            "access_features",
            "accessibility_notes",
            "accessibility_notes_en",
            "rules",
            "rules_en",
        )

    def clean_amenities(self) -> list[str]:
        chosen = set(self.cleaned_data.get("amenities") or [])
        return [value for value in Amenity.values if value in chosen]  # the listed order

    def clean_access_features(self) -> list[str]:
        chosen = set(self.cleaned_data.get("access_features") or [])
        return [value for value in AccessFeature.values if value in chosen]


class RoomInline(admin.TabularInline):
    model = Room
    fields = ("name", "name_en", "kind", "capacity", "slot_minutes", "requires_approval", "is_active")
    extra = 0
    show_change_link = True  # the booking rules (length, notice, deadline) are on the room's own page
    verbose_name_plural = _("Rooms (open a room to set its booking rules)")


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    fields = ("weekday", "opens", "closes")
    extra = 0
    verbose_name_plural = _("Opening hours (local time; a weekday with none is closed)")


class ClosureInline(admin.TabularInline):
    """Current and upcoming closures; past ones stay in the closures list."""

    model = Closure
    fields = ("starts_on", "ends_on", "room", "reason", "note")
    extra = 0
    verbose_name_plural = _("Closures (current and upcoming)")

    def get_queryset(self, request):
        today = to_local(timezone.now()).date()
        return super().get_queryset(request).filter(ends_on__gte=today).select_related("room__space")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room":
            space_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            rooms = Room.objects.select_related("space")
            kwargs["queryset"] = rooms.filter(space_id=space_id) if space_id else rooms.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Space)
class SpaceAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    form = SpaceForm
    list_display = ("name", "district", "neighbourhood", "room_count", "is_active", "calendar_link")
    list_select_related = ("district", "neighbourhood")
    search_fields = ("name", "name_en", "address")
    ordering = ("district__code", "name", "pk")
    show_full_result_count = False
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [RoomInline, OpeningHoursInline, ClosureInline]
    actions = ("add_holiday_closures",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "district",
                    "neighbourhood",
                    "name",
                    "name_en",
                    "slug",
                    "is_active",
                    "summary",
                    "summary_en",
                )
            },
        ),
        (_("How to get there"), {"fields": ("address", "directions", "phone")}),
        (
            _("Amenities and accessibility"),
            {
                "fields": (
                    "amenities",
                    "access_features",
                    "accessibility_notes",
                    "accessibility_notes_en",
                )
            },
        ),
        (_("House rules"), {"fields": ("rules", "rules_en")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(room_total=Count("rooms"))
        return spaces_visible_to(request.user, queryset)

    def get_list_filter(self, request):
        return ("is_active", "district") if request.user.sees_all_districts else ("is_active",)

    def get_readonly_fields(self, request, obj=None):
        # Bookings copy their space's district (scoping, the district's limits): it never moves.
        return ("district",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "district":
            kwargs["queryset"] = own_districts(request)
            if not user.sees_all_districts:
                kwargs["empty_label"] = None
        elif db_field.name == "neighbourhood":
            neighbourhoods = Neighbourhood.objects.order_by("district__code", "name")
            if not user.sees_all_districts:
                neighbourhoods = neighbourhoods.filter(district_id=user.district_id or 0)
            kwargs["queryset"] = neighbourhoods
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("rooms"), ordering="room_total")
    def room_count(self, obj: Space) -> int:
        return obj.room_total

    @admin.display(description=_("calendar"))
    def calendar_link(self, obj: Space) -> str:
        url = reverse("admin:spaces_space_calendar", args=[obj.pk])
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>', url, _("Calendar"), obj.name
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["calendar_url"] = reverse("admin:spaces_space_calendar", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- public holidays -------------------------------------------------------------------------

    def has_add_closure_permission(self, request) -> bool:
        return request.user.has_perm("spaces.add_closure")

    @admin.action(
        description=_("Add public holidays for next 12 months as closures"), permissions=["add_closure"]
    )
    def add_holiday_closures(self, request, queryset):
        """One whole-space closure per public holiday. Running it again adds only what is missing."""
        today = to_local(timezone.now()).date()
        last = one_year_after(today) - timedelta(days=1)
        days = korean_holidays(today, last)
        spaces = list(queryset.order_by("pk"))
        covered: dict[int, list[tuple[date, date]]] = {}
        for space_id, starts_on, ends_on in Closure.objects.filter(
            space__in=[space.pk for space in spaces],
            room__isnull=True,
            reason=ClosureReason.HOLIDAY,
            starts_on__lte=last,
            ends_on__gte=today,
        ).values_list("space_id", "starts_on", "ends_on"):
            covered.setdefault(space_id, []).append((starts_on, ends_on))
        new = [
            Closure(
                space=space,
                starts_on=day,
                ends_on=day,
                reason=ClosureReason.HOLIDAY,
                note=name[: Closure._meta.get_field("note").max_length],
            )
            for space in spaces
            for day, name in days.items()
            if not any(first <= day <= until for first, until in covered.get(space.pk, []))
        ]
        Closure.objects.bulk_create(new)
        skipped = len(spaces) * len(days) - len(new)
        self.message_user(
            request,
            ngettext(
                "%(count)d holiday closure added (%(from)s to %(to)s).",
                "%(count)d holiday closures added (%(from)s to %(to)s).",
                len(new),
            )
            % {"count": len(new), "from": today.isoformat(), "to": last.isoformat()},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d holiday was already a closure and was left as it is.",
                    "%(count)d holidays were already closures and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.INFO,
            )

    # --- the calendar ----------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="spaces_space_calendar",
            )
        ] + super().get_urls()

    def calendar_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        space = self.get_object(request, unquote(object_id))
        if space is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, space):
            raise PermissionDenied
        view = "day" if request.GET.get("view") == "day" else "week"
        today = to_local(timezone.now()).date()
        try:
            chosen = date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            chosen = today
        first = chosen if view == "day" else week_start(chosen)
        last = first if view == "day" else first + timedelta(days=6)
        step = timedelta(days=1 if view == "day" else 7)

        rooms = list(space.rooms.order_by("name", "pk"))
        window_from = local_datetime(first, time.min)
        window_to = local_datetime(last + timedelta(days=1), time.min)
        # Every room's bookings in the range at once, with what the cells print (no query per booking).
        bookings = list(
            Booking.objects.filter(
                room__space=space,
                status__in=ACTIVE_STATUSES,
                starts_at__lt=window_to,
                ends_at__gt=window_from,
            )
            .select_related("household", "series")
            .order_by("starts_at", "pk")
        )
        by_room_day: dict[tuple[int, date], list[Booking]] = {}
        for booking in bookings:
            by_room_day.setdefault((booking.room_id, to_local(booking.starts_at).date()), []).append(booking)

        days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
        rows = []
        for room in rooms:
            cells = []
            # Opening hours and closures as the residents' week view judges them.
            for entry in room_days(room, first, last):
                cells.append(
                    {
                        "day": entry.day,
                        "closure": entry.closure,
                        "is_open": entry.is_open,
                        "hours": ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in entry.open_intervals),
                        "bookings": [
                            {
                                "time": f"{to_local(b.starts_at):%H:%M}–{to_local(b.ends_at):%H:%M}",
                                "status": b.status,
                                "status_label": b.get_status_display(),
                                "who": who_booked(b),
                                "headcount": b.headcount,
                                "url": reverse("admin:spaces_booking_change", args=[b.pk]),
                                "reference": b.reference,
                            }
                            for b in by_room_day.get((room.pk, entry.day), [])
                        ],
                    }
                )
            rows.append({"room": room, "cells": cells})

        base = reverse("admin:spaces_space_calendar", args=[space.pk])

        def link(**params) -> str:
            return f"{base}?{urlencode(params)}"

        if view == "day":
            title = gettext("%(space)s: %(day)s") % {
                "space": space.name,
                "day": f"{first:%Y-%m-%d} ({WEEKDAY_SHORT[first.weekday()]})",
            }
        else:
            title = gettext("%(space)s: week of %(monday)s") % {
                "space": space.name,
                "monday": first.isoformat(),
            }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "space": space,
            "view": view,
            "days": [
                {
                    "day": day,
                    "weekday": WEEKDAY_SHORT[day.weekday()],
                    "is_today": day == today,
                    "day_url": link(view="day", date=day.isoformat()),
                }
                for day in days
            ],
            "rows": rows,
            "previous_url": link(view=view, date=(first - step).isoformat()),
            "next_url": link(view=view, date=(first + step).isoformat()),
            "today_url": link(view=view, date=today.isoformat()),
            "day_view_url": link(view="day", date=(chosen if view == "week" else first).isoformat()),
            "week_view_url": link(view="week", date=first.isoformat()),
            "change_url": reverse("admin:spaces_space_change", args=[space.pk]),
            "bookings_url": reverse("admin:spaces_booking_changelist") + f"?space={space.pk}",
        }
        return TemplateResponse(request, "admin/spaces/space/calendar.html", context)


@admin.register(Room)
class RoomAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ("name", "space", "kind", "capacity", "requires_approval", "is_active")
    list_filter = ("kind", "requires_approval", "is_active")
    list_select_related = ("space",)
    search_fields = ("name", "name_en", "space__name")
    ordering = ("space__name", "name", "pk")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("space", "name", "name_en", "kind", "capacity", "is_active")}),
        (_("Description"), {"fields": ("description", "description_en")}),
        (
            _("Booking rules"),
            {
                "fields": (
                    "slot_minutes",
                    ("min_minutes", "max_minutes"),
                    "max_days_ahead",
                    "min_notice_hours",
                    "cancel_deadline_hours",
                    "requires_approval",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(space__in=spaces_visible_to(request.user))

    def get_readonly_fields(self, request, obj=None):
        return ("space",) if obj is not None else ()  # its bookings belong to the space's district

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "space":
            kwargs["queryset"] = spaces_visible_to(request.user).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UpcomingClosureFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Current and upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        today = to_local(timezone.now()).date()
        if self.value() == "upcoming":
            return queryset.filter(ends_on__gte=today)
        if self.value() == "past":
            return queryset.filter(ends_on__lt=today)
        return queryset


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    """Every closure of the district's spaces: caseworkers add and remove them here (they see the
    spaces themselves read-only)."""

    list_display = ("starts_on", "ends_on", "space", "room_name", "reason", "note")
    list_filter = (UpcomingClosureFilter, "reason")
    list_select_related = ("space", "room")
    search_fields = ("note", "space__name")
    ordering = ("-starts_on", "pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    fields = ("space", "room", "starts_on", "ends_on", "reason", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(space__in=spaces_visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "space":
            kwargs["queryset"] = spaces_visible_to(request.user).order_by("name")
        elif db_field.name == "room":
            kwargs["queryset"] = visible_rooms(request).order_by("space__name", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("room"), ordering="room__name")
    def room_name(self, obj: Closure) -> str:
        return obj.room.name if obj.room_id else gettext("Whole space")


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    """One per district: its per-household limits and no-show penalties."""

    list_display = (
        "district",
        "max_upcoming",
        "max_hours_per_week",
        "no_show_limit",
        "no_show_window_days",
        "ban_days",
    )
    list_select_related = ("district",)
    ordering = ("district__code",)
    fields = (
        "district",
        "max_upcoming",
        "max_hours_per_week",
        "no_show_limit",
        "no_show_window_days",
        "ban_days",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.sees_all_districts:
            return queryset
        return queryset.filter(district_id=request.user.district_id or 0)

    def has_add_permission(self, request) -> bool:
        # One per district: once every district the user may choose has one, it is edited, not added.
        if not super().has_add_permission(request):
            return False
        return own_districts(request).filter(booking_policy__isnull=True).exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("district",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["queryset"] = own_districts(request).filter(booking_policy__isnull=True)
            if not request.user.sees_all_districts:
                kwargs["empty_label"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- the booking review queue ----------------------------------------------------------------------


class SpaceFilter(admin.SimpleListFilter):
    """The space filter offers only the user's district's spaces (the default would list every one)."""

    title = _("space")
    parameter_name = "space"

    def lookups(self, request, model_admin):
        spaces = spaces_visible_to(request.user).order_by("name", "pk").values_list("pk", "name")
        return [(str(pk), name) for pk, name in spaces]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(room__space_id=int(value))
        return queryset


class WhenFilter(admin.SimpleListFilter):
    title = _("date")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("today", _("Today")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(ends_at__gt=now)
        if self.value() == "today":
            day_from = local_datetime(to_local(now).date(), time.min)
            return queryset.filter(starts_at__lt=day_from + timedelta(days=1), ends_at__gt=day_from)
        if self.value() == "past":
            return queryset.filter(ends_at__lte=now)
        return queryset


@dataclass(frozen=True)
class Decision:
    action: str
    label: str | Promise
    explanation: str | Promise
    reason_label: str | Promise | None = None  # set when the resident must be told why
    reason_required: str | Promise = ""

    def form(self, data=None) -> ReasonForm:
        return ReasonForm(data, reason_label=self.reason_label, reason_required=self.reason_required)


DECISIONS: dict[str, Decision] = {
    decision.action: decision
    for decision in (
        Decision(
            "approve",
            _("Approve"),
            _("The resident is told the booking is confirmed."),
        ),
        Decision(
            "reject",
            _("Reject"),
            _("The room is freed and the resident is told why."),
            reason_label=_("Reason for rejecting (the resident will read it)"),
            reason_required=_("Give a reason: the resident will read it."),
        ),
        Decision(
            "attended",
            _("Mark as attended"),
            _("Records that the household came. A no-show marked by mistake can be corrected this way."),
        ),
        Decision(
            "no_show",
            _("Mark as no-show"),
            _(
                "Records that nobody came. After the district's limit of no-shows the household cannot "
                "book for a while, and is told so."
            ),
        ),
        Decision(
            "cancel",
            _("Cancel"),
            _("The room is freed and the resident, if any, is told why."),
            reason_label=_("Reason for cancelling (the resident will read it)"),
            reason_required=_("Say why the booking is cancelled: the resident is told."),
        ),
    )
}
# The status each decision moves a booking to (the buttons offer only moves the table allows).
DECISION_STATUS = {
    "approve": B.CONFIRMED,
    "reject": B.REJECTED,
    "attended": B.ATTENDED,
    "no_show": B.NO_SHOW,
    "cancel": B.CANCELLED,
}
REFERENCE_SEARCH = re.compile(r"^(?:BK-?)?(?:\d{4}-)?0*(\d{1,15})$", re.IGNORECASE)


def decision_possible(booking: Booking, action: str, now: datetime) -> bool:
    if DECISION_STATUS[action] not in TRANSITIONS.get(booking.status, set()):
        return False
    if action == "approve":
        return booking.starts_at > now
    if action in ("attended", "no_show"):
        return booking.household_id is not None and booking.starts_at <= now
    if action == "cancel":
        return booking.ends_at > now
    return True


BOOKING_DETAIL_RELATED = (
    "room__space",
    "district",
    "household__user",
    "household__district",
    "series",
    "booked_by",
    "decided_by",
)


@admin.register(Booking)
class BookingAdmin(AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ("reference_link", "place", "when", "booked_for", "headcount", "status_text")
    list_display_links = None
    list_select_related = ("room__space", "household", "series")
    search_fields = ("=id",)  # see get_search_results: a reference number or a series title
    search_help_text = _("Search by reference number (BK-2026-000123) or series title.")
    # Awaiting approval first (the queue), then by start time.
    ordering = (Case(When(status=B.PENDING, then=Value(0)), default=Value(1)).asc(), "starts_at", "pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = (
        "approve_selected",
        "reject_selected",
        "attended_selected",
        "no_show_selected",
        "cancel_selected",
    )
    fieldsets = (
        (
            None,
            {"fields": ("reference", "status_text", "place", "when", "headcount", "purpose", "series_link")},
        ),
        (_("Household"), {"fields": ("household_name", "household_contact", "no_shows")}),
        (
            _("Decision"),
            {
                "fields": (
                    "created_at",
                    "booked_by_name",
                    "decided_at",
                    "decided_by_name",
                    "reason",
                    "cancelled_at",
                    "attendance_marked_at",
                )
            },
        ),
        (_("History"), {"fields": ("history_table",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def get_queryset(self, request: HttpRequest):
        return bookings_visible_to(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        queryset = bookings_visible_to(request.user, Booking.objects.select_related(*BOOKING_DETAIL_RELATED))
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Booking.DoesNotExist, ValidationError, ValueError):
            return None

    def get_list_filter(self, request):
        filters = ["status", SpaceFilter, WhenFilter]
        if request.user.sees_all_districts:
            filters.append("district")
        return filters

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        match = REFERENCE_SEARCH.match(term)
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return queryset.filter(series__title__icontains=term), False

    def has_add_permission(self, request) -> bool:
        return False  # residents book on the site; staff book regular programs as a series

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a booking is cancelled or rejected, never deleted

    def save_model(self, request, obj, form, change) -> None:
        """Nothing is editable here: every change goes through the decision pages and the services."""

    # --- columns and fields --------------------------------------------------------------------

    @admin.display(description=_("reference"), ordering="pk")
    def reference_link(self, obj: Booking) -> str:
        url = reverse("admin:spaces_booking_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.reference)

    @admin.display(description=_("reference"))
    def reference(self, obj: Booking) -> str:
        return obj.reference

    @admin.display(description=_("place"), ordering="room__space__name")
    def place(self, obj: Booking) -> str:
        return f"{obj.room.space.name} · {obj.room.name}"

    @admin.display(description=_("when (Seoul time)"), ordering="starts_at")
    def when(self, obj: Booking) -> str:
        return local_span(obj.starts_at, obj.ends_at)

    @admin.display(description=_("booked for"))
    def booked_for(self, obj: Booking) -> str:
        return who_booked(obj)

    @admin.display(description=_("status"), ordering="status")
    def status_text(self, obj: Booking) -> str:
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("series"))
    def series_link(self, obj: Booking) -> str:
        if obj.series_id is None:
            return "—"
        url = reverse("admin:spaces_bookingseries_change", args=[obj.series_id])
        return format_html('<a href="{}">{}</a>', url, obj.series.title)

    @admin.display(description=_("name"))
    def household_name(self, obj: Booking) -> str:
        if obj.household_id is None:
            return gettext("Staff booking (no household)")
        return obj.household.name or "—"

    @admin.display(description=_("contact"))
    def household_contact(self, obj: Booking) -> str:
        if obj.household_id is None:
            return "—"
        lines = [value for value in (obj.household.phone, obj.household.user.email) if value]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "—"

    @admin.display(description=_("no-shows in this district"))
    def no_shows(self, obj: Booking) -> str:
        if obj.household_id is None:
            return "—"
        policy = BookingPolicy.for_district(obj.district_id)
        now = timezone.now()
        counts = Booking.objects.filter(
            household_id=obj.household_id, district_id=obj.district_id, status=B.NO_SHOW
        ).aggregate(
            total=Count("pk"),
            recent=Count("pk", filter=Q(starts_at__gte=now - timedelta(days=policy.no_show_window_days))),
        )
        text = gettext(
            "%(total)d in all; %(recent)d in the last %(days)d days (a booking ban starts at %(limit)d)."
        ) % {
            "total": counts["total"],
            "recent": counts["recent"],
            "days": policy.no_show_window_days,
            "limit": policy.no_show_limit,
        }
        suspension = active_suspension(obj.household_id, obj.district_id, now)
        if suspension is None:
            return text
        url = reverse("admin:spaces_suspension_change", args=[suspension.pk])
        return format_html(
            '{} <strong><a href="{}">{}</a></strong>',
            text,
            url,
            gettext("Cannot book until %(date)s.") % {"date": f"{to_local(suspension.ends_at):%Y-%m-%d}"},
        )

    @admin.display(description=_("booked by"))
    def booked_by_name(self, obj: Booking) -> str:
        return str(obj.booked_by)

    @admin.display(description=_("decided by"))
    def decided_by_name(self, obj: Booking) -> str:
        return str(obj.decided_by) if obj.decided_by_id else "—"

    @admin.display(description=_("changes"))
    def history_table(self, obj: Booking) -> str:
        records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
        if not records:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    local_moment(record.history_date),
                    status_badge(record.status, record.get_status_display()),
                    local_span(record.starts_at, record.ends_at),
                    str(record.history_user) if record.history_user_id else gettext("the system"),
                    record.reason or "—",
                )
                for record in records
            ),
        )
        return format_html(
            '<table class="booking-history"><caption>{}</caption><thead><tr>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Every change to this booking, oldest first"),
            _("When"),
            _("Status"),
            _("Time booked"),
            _("By"),
            _("Reason"),
            rows,
        )

    # --- PIPA access log ------------------------------------------------------------------------

    access_log_action = "booking.viewed"

    def access_log_subject(self, obj: Booking):
        return (obj.household.user_id if obj.household_id else None), obj.district

    # --- decision buttons and pages -------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        buttons = []
        if obj is not None and self.has_change_permission(request, obj):
            now = timezone.now()
            for name, decision in DECISIONS.items():
                if decision_possible(obj, name, now):
                    url = reverse("admin:spaces_booking_decide", args=[obj.pk, name])
                    buttons.append({"url": url, "label": decision.label})
        context.update(
            decision_buttons=buttons,
            show_save=False,
            show_save_and_continue=False,
            show_save_and_add_another=False,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/<slug:action>/",
                self.admin_site.admin_view(self.decide_view),
                name="spaces_booking_decide",
            )
        ] + super().get_urls()

    def decide_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        decision = DECISIONS.get(action)
        booking = self.get_object(request, unquote(object_id))
        if decision is None or booking is None:
            raise Http404
        if not self.has_change_permission(request, booking):
            raise PermissionDenied
        change_url = reverse("admin:spaces_booking_change", args=[booking.pk])
        form = decision.form(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            self._decide(request, [booking], decision, form.reason_text)
            return HttpResponseRedirect(change_url)
        return self._confirmation(request, [booking], decision, form, cancel_url=change_url, bulk=False)

    @admin.action(description=_("Approve selected bookings"), permissions=["change"])
    def approve_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["approve"])

    @admin.action(description=_("Reject selected bookings (with a reason)"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["reject"])

    @admin.action(description=_("Mark selected bookings as attended"), permissions=["change"])
    def attended_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["attended"])

    @admin.action(description=_("Mark selected bookings as no-show"), permissions=["change"])
    def no_show_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["no_show"])

    @admin.action(description=_("Cancel selected bookings (with a reason)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["cancel"])

    def _decide_selected(self, request, queryset, decision: Decision) -> HttpResponse | None:
        """First call: the confirmation page. Its form posts back here with `post` (and the reason)."""
        bookings = list(
            queryset.select_related("room__space", "household", "series").order_by("starts_at", "pk")[
                : BULK_LIMIT + 1
            ]
        )
        if not bookings:
            self.message_user(request, _("None of the selected bookings can be found."), messages.WARNING)
            return None
        if len(bookings) > BULK_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)d bookings at a time.") % {"limit": BULK_LIMIT},
                messages.ERROR,
            )
            return None
        form = decision.form(request.POST if request.POST.get("post") else None)
        if form.is_bound and form.is_valid():
            self._decide(request, bookings, decision, form.reason_text)
            return None  # back to the changelist, with the messages
        return self._confirmation(
            request,
            bookings,
            decision,
            form,
            cancel_url=request.get_full_path(),
            bulk=True,
            action_name=f"{decision.action}_selected",
        )

    def _run(self, request, booking: Booking, action: str, reason: str) -> None:
        actor = request.user
        if action in ("approve", "reject"):
            booking_decide(
                actor=actor,
                booking_id=booking.pk,
                approve=action == "approve",
                reason=reason,
                request=request,
            )
        elif action in ("attended", "no_show"):
            booking_mark_attendance(
                actor=actor, booking_id=booking.pk, attended=action == "attended", request=request
            )
        elif action == "cancel":
            booking_staff_cancel(actor=actor, booking_id=booking.pk, reason=reason, request=request)

    def _decide(self, request, bookings: list[Booking], decision: Decision, reason: str) -> None:
        started = timezone.now()
        done, refused = 0, []
        for booking in bookings:
            # One transaction per booking (inside the service): a refusal leaves the others done.
            try:
                self._run(request, booking, decision.action, reason)
            except BookingError as error:
                refused.append(f"{booking.reference}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(decision)s: %(count)d booking done.", "%(decision)s: %(count)d bookings done.", done
                )
                % {"decision": decision.label, "count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(decision)s: %(count)d booking could not be changed. %(details)s",
                    "%(decision)s: %(count)d bookings could not be changed. %(details)s",
                    len(refused),
                )
                % {"decision": decision.label, "count": len(refused), "details": " · ".join(refused)},
                messages.ERROR,
            )
        if decision.action == "no_show" and done:
            banned = Suspension.objects.filter(
                household_id__in={b.household_id for b in bookings if b.household_id},
                created_at__gte=started,
            ).count()
            if banned:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d household reached the no-show limit: it cannot book for now and is "
                        "told so.",
                        "%(count)d households reached the no-show limit: they cannot book for now and "
                        "are told so.",
                        banned,
                    )
                    % {"count": banned},
                    messages.WARNING,
                )

    def _confirmation(
        self,
        request,
        bookings: list[Booking],
        decision: Decision,
        form: ReasonForm,
        *,
        cancel_url: str,
        bulk: bool,
        action_name: str = "",
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": decision.label,
            "opts": self.opts,
            "decision": decision,
            "bookings": [
                {
                    "pk": booking.pk,
                    "reference": booking.reference,
                    "place": f"{booking.room.space.name} · {booking.room.name}",
                    "when": local_span(booking.starts_at, booking.ends_at),
                    "who": who_booked(booking),
                    "status": booking.get_status_display(),
                }
                for booking in bookings
            ],
            "form": form,
            "bulk": bulk,
            "action_name": action_name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, "admin/spaces/booking/decision_confirmation.html", context)


# --- staff booking series ----------------------------------------------------------------------------


class SeriesForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("Shown in the calendar, e.g. 'Tuesday cooking class'.")
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,
        required=False,
        help_text=_("Optional: each date becomes one of the program's sessions."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    starts_on = forms.DateField(label=_("First date"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last date"), widget=forms.DateInput(attrs={"type": "date"}))
    headcount = forms.IntegerField(label=_("Expected participants"), min_value=1, initial=1)

    # Where a refusal of the rules (spaces.rules) belongs on this form.
    FAILURE_FIELDS = {"starts_at": "start_time", "ends_at": "end_time", "purpose": "title"}

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = visible_rooms(request).order_by("space__name", "name", "pk")
        self.fields["program"].queryset = programs_visible_to(request.user).order_by("title", "pk")

    def add_failures(self, error: BookingError) -> None:
        for failure in error.failures or []:
            field = self.FAILURE_FIELDS.get(failure.field, failure.field)
            self.add_error(field if field in self.fields else None, failure.message)
        if not error.failures:
            self.add_error(None, error.message)


@admin.register(BookingSeries)
class BookingSeriesAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    """Added through series_create (all or nothing), read-only afterwards; cancelled as a whole here,
    one date at a time in the bookings list."""

    list_display = ("title", "room", "days", "hours", "dates", "occurrences", "state")
    list_select_related = ("room__space", "program")
    search_fields = ("title",)
    ordering = ("-starts_on", "pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ("cancel_selected",)
    fieldsets = (
        (None, {"fields": ("title", "room", "program", "state")}),
        (_("When"), {"fields": ("days", "hours", "dates", "headcount")}),
        (_("Record"), {"fields": ("created_by_name", "created_at", "cancelled_at")}),
        (_("Bookings"), {"fields": ("occurrence_table",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .annotate(
                occurrence_total=Count("bookings"),
                upcoming_total=Count(
                    "bookings",
                    filter=Q(bookings__status__in=UPCOMING_STATUSES, bookings__starts_at__gt=Now()),
                ),
            )
        )
        return booking_series_visible_to(request.user, queryset)

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("room__space", "program", "created_by")
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (BookingSeries.DoesNotExist, ValidationError, ValueError):
            return None

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its bookings are the record: cancel it instead

    def save_model(self, request, obj, form, change) -> None:
        """A series is never saved from a form: series_create makes it, series_cancel ends it."""

    # --- columns --------------------------------------------------------------------------------

    @admin.display(description=_("weekdays"))
    def days(self, obj: BookingSeries) -> str:
        return obj.weekday_labels()

    @admin.display(description=_("time (Seoul)"))
    def hours(self, obj: BookingSeries) -> str:
        return f"{obj.start_time:%H:%M}–{obj.end_time:%H:%M}"

    @admin.display(description=_("dates"), ordering="starts_on")
    def dates(self, obj: BookingSeries) -> str:
        return f"{obj.starts_on:%Y-%m-%d} – {obj.ends_on:%Y-%m-%d}"

    @admin.display(description=_("bookings"))
    def occurrences(self, obj: BookingSeries) -> str:
        return gettext("%(total)d (%(upcoming)d upcoming)") % {
            "total": obj.occurrence_total,
            "upcoming": obj.upcoming_total,
        }

    @admin.display(description=_("state"))
    def state(self, obj: BookingSeries) -> str:
        if obj.cancelled_at:
            return gettext("Cancelled on %(date)s") % {"date": f"{to_local(obj.cancelled_at):%Y-%m-%d}"}
        return gettext("Running")

    @admin.display(description=_("created by"))
    def created_by_name(self, obj: BookingSeries) -> str:
        return str(obj.created_by)

    @admin.display(description=_("dates booked"))
    def occurrence_table(self, obj: BookingSeries) -> str:
        bookings = list(obj.bookings.order_by("starts_at", "pk"))
        if not bookings:
            return "—"
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:spaces_booking_change", args=[booking.pk]),
                    booking.reference,
                    local_span(booking.starts_at, booking.ends_at),
                    status_badge(booking.status, booking.get_status_display()),
                    booking.reason or "—",
                )
                for booking in bookings
            ),
        )
        bookings_url = reverse("admin:spaces_booking_changelist") + f"?series__id__exact={obj.pk}"
        return format_html(
            '<p><a href="{}">{}</a></p><table class="series-occurrences"><caption>{}</caption><thead><tr>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            bookings_url,
            _(
                "To cancel a single date, open these bookings in the bookings list and use “Cancel "
                "selected bookings”."
            ),
            _("Each date of the series (Seoul time)"),
            _("Reference"),
            _("When"),
            _("Status"),
            _("Reason"),
            rows,
        )

    # --- adding: series_create, all or nothing --------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SeriesForm(request.POST if request.method == "POST" else None, request=request)
        conflicts = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                series = series_create(
                    actor=request.user,
                    room_id=data["room"].pk,
                    title=data["title"],
                    weekdays=data["weekdays"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    headcount=data["headcount"],
                    program_id=data["program"].pk if data["program"] else None,
                    request=request,
                )
            except SeriesError as error:
                conflicts = [
                    {
                        "day": conflict.day,
                        "weekday": WEEKDAY_SHORT[conflict.day.weekday()],
                        "message": conflict.message,
                    }
                    for conflict in error.conflicts
                ]
                if conflicts:
                    form.add_error(
                        None,
                        ngettext(
                            "Nothing was booked: %(count)d date cannot be booked (listed below). "
                            "Change the dates or times, or free those dates first.",
                            "Nothing was booked: %(count)d dates cannot be booked (listed below). "
                            "Change the dates or times, or free those dates first.",
                            len(conflicts),
                        )
                        % {"count": len(conflicts)},
                    )
                else:
                    form.add_failures(error)
            except BookingError as error:
                form.add_failures(error)
            else:
                count = getattr(series, "occurrence_count", None)
                if count is None:
                    count = series.bookings.count()
                self.message_user(
                    request,
                    ngettext("%(count)d booking created.", "%(count)d bookings created.", count)
                    % {"count": count},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:spaces_bookingseries_change", args=[series.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Book a room for a regular program"),
            "form": form,
            "conflicts": conflicts,
            "cancel_url": reverse("admin:spaces_bookingseries_changelist"),
        }
        return TemplateResponse(request, "admin/spaces/bookingseries/add_form.html", context)

    # --- cancelling the whole series ------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        buttons = []
        if obj is not None and obj.cancelled_at is None and self.has_change_permission(request, obj):
            buttons.append(
                {
                    "url": reverse("admin:spaces_bookingseries_cancel", args=[obj.pk]),
                    "label": _("Cancel the whole series"),
                }
            )
        context.update(
            decision_buttons=buttons,
            show_save=False,
            show_save_and_continue=False,
            show_save_and_add_another=False,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="spaces_bookingseries_cancel",
            )
        ] + super().get_urls()

    @staticmethod
    def _cancel_form(data=None) -> ReasonForm:
        return ReasonForm(
            data,
            reason_label=_("Reason for cancelling (kept with each cancelled booking)"),
            reason_required=_("Say why the series is cancelled."),
        )

    def cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        series = self.get_object(request, unquote(object_id))
        if series is None:
            raise Http404
        if not self.has_change_permission(request, series):
            raise PermissionDenied
        change_url = reverse("admin:spaces_bookingseries_change", args=[series.pk])
        form = self._cancel_form(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            self._cancel(request, [series], form.reason_text)
            return HttpResponseRedirect(change_url)
        return self._cancel_confirmation(request, [series], form, cancel_url=change_url, bulk=False)

    @admin.action(description=_("Cancel the whole series (with a reason)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        chosen = list(queryset.select_related("room__space").order_by("pk")[: BULK_LIMIT + 1])
        if len(chosen) > BULK_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)d series at a time.") % {"limit": BULK_LIMIT},
                messages.ERROR,
            )
            return None
        form = self._cancel_form(request.POST if request.POST.get("post") else None)
        if form.is_bound and form.is_valid():
            self._cancel(request, chosen, form.reason_text)
            return None
        return self._cancel_confirmation(
            request,
            chosen,
            form,
            cancel_url=request.get_full_path(),
            bulk=True,
            action_name="cancel_selected",
        )

    def _cancel(self, request, chosen: list[BookingSeries], reason: str) -> None:
        for series in chosen:
            if series.cancelled_at is not None:
                self.message_user(
                    request,
                    gettext("%(series)s was already cancelled.") % {"series": series.title},
                    messages.WARNING,
                )
                continue
            try:
                cancelled = series_cancel(
                    actor=request.user, series_id=series.pk, reason=reason, request=request
                )
            except BookingError as error:
                self.message_user(request, f"{series.title}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(series)s: %(count)d upcoming booking cancelled; past dates stay as the record.",
                        "%(series)s: %(count)d upcoming bookings cancelled; past dates stay as the record.",
                        cancelled,
                    )
                    % {"series": series.title, "count": cancelled},
                    messages.SUCCESS,
                )

    def _cancel_confirmation(
        self, request, chosen, form, *, cancel_url: str, bulk: bool, action_name: str = ""
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel the whole series"),
            "opts": self.opts,
            "series_list": chosen,
            "form": form,
            "bulk": bulk,
            "action_name": action_name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, "admin/spaces/bookingseries/cancel_confirmation.html", context)


# --- no-show bans ------------------------------------------------------------------------------------


class SuspensionStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("In force")), ("lifted", _("Lifted early")), ("ended", _("Ended"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
        if self.value() == "lifted":
            return queryset.filter(lifted_at__isnull=False)
        if self.value() == "ended":
            return queryset.filter(lifted_at__isnull=True, ends_at__lte=now)
        return queryset


@admin.register(Suspension)
class SuspensionAdmin(AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ("household_masked", "district", "from_local", "until_local", "lifted", "reason")
    list_select_related = ("household", "district")
    ordering = ("-starts_at", "-pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ("lift_selected",)
    fields = (
        "household_name",
        "district",
        "from_local",
        "until_local",
        "reason",
        "created_at",
        "lifted",
        "lifted_by_name",
        "bookings_link",
    )

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return suspensions_visible_to(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("household__user", "district", "lifted_by")
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Suspension.DoesNotExist, ValidationError, ValueError):
            return None

    def get_list_filter(self, request):
        return (
            (SuspensionStateFilter, "district")
            if request.user.sees_all_districts
            else (SuspensionStateFilter,)
        )

    def has_add_permission(self, request) -> bool:
        return False  # bans start from no-shows (spaces.services)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lifted, never deleted: the record stays

    def save_model(self, request, obj, form, change) -> None:
        """Nothing is editable: a ban is lifted through the action (suspension_lift)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    access_log_action = "booking.suspension_viewed"

    def access_log_subject(self, obj: Suspension):
        return obj.household.user_id, obj.district

    @admin.display(description=_("household"))
    def household_masked(self, obj: Suspension) -> str:
        url = reverse("admin:spaces_suspension_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, mask_name(obj.household.name) or "—")

    @admin.display(description=_("household"))
    def household_name(self, obj: Suspension) -> str:
        return obj.household.name or "—"

    @admin.display(description=_("from"), ordering="starts_at")
    def from_local(self, obj: Suspension) -> str:
        return local_moment(obj.starts_at)

    @admin.display(description=_("until"), ordering="ends_at")
    def until_local(self, obj: Suspension) -> str:
        return local_moment(obj.ends_at)

    @admin.display(description=_("lifted"), ordering="lifted_at")
    def lifted(self, obj: Suspension) -> str:
        return local_moment(obj.lifted_at) if obj.lifted_at else gettext("No")

    @admin.display(description=_("lifted by"))
    def lifted_by_name(self, obj: Suspension) -> str:
        return str(obj.lifted_by) if obj.lifted_by_id else "—"

    @admin.display(description=_("bookings"))
    def bookings_link(self, obj: Suspension) -> str:
        url = (
            reverse("admin:spaces_booking_changelist")
            + "?"
            + urlencode({"household__id__exact": obj.household_id})
        )
        return format_html('<a href="{}">{}</a>', url, _("This household's bookings in the district"))

    @admin.action(description=_("Lift the booking ban (override)"), permissions=["change"])
    def lift_selected(self, request, queryset):
        done, skipped = 0, []
        for suspension in queryset.select_related("household").order_by("pk")[:BULK_LIMIT]:
            if suspension.lifted_at is not None:
                skipped.append(
                    gettext("%(household)s: already lifted")
                    % {"household": mask_name(suspension.household.name)}
                )
                continue
            try:
                suspension_lift(actor=request.user, suspension_id=suspension.pk, request=request)
            except BookingError as error:
                skipped.append(f"{mask_name(suspension.household.name)}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d ban lifted: the household may book again and is told so.",
                    "%(count)d bans lifted: the households may book again and are told so.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d ban was left as it is. %(details)s",
                    "%(count)d bans were left as they are. %(details)s",
                    len(skipped),
                )
                % {"count": len(skipped), "details": " · ".join(skipped)},
                messages.WARNING,
            )
