"""Setting spaces up: spaces (with their calendar), rooms, opening hours, closures and the district's
booking policy."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal import pagecache
from portal.admin_tools import CappedCountPaginator, ScopedHistoryMixin
from portal.models import Neighbourhood
from portal.timeutils import local_midnight, local_today, parse_supported_date, to_local

from ..availability import room_days
from ..models import (
    ACTIVE_STATUSES,
    AccessFeature,
    Amenity,
    Booking,
    BookingPolicy,
    Closure,
    ClosureReason,
    OpeningHours,
    Room,
    Space,
)
from ..rules import week_start
from .common import WEEKDAY_SHORT, korean_holidays, one_year_after, own_districts, visible_rooms, who_booked

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
        today = local_today()
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
        return queryset.visible_to(request.user)

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
        today = local_today()
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
        pagecache.bump()  # bulk_create sends no signal; space pages list closures
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
        today = local_today()
        chosen = parse_supported_date(request.GET.get("date", "")) or today
        first = chosen if view == "day" else week_start(chosen)
        last = first if view == "day" else first + timedelta(days=6)
        step = timedelta(days=1 if view == "day" else 7)

        rooms = list(space.rooms.order_by("name", "pk"))
        window_from = local_midnight(first)
        window_to = local_midnight(last, days=1)
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
        return super().get_queryset(request).filter(space__in=Space.objects.visible_to(request.user))

    def get_readonly_fields(self, request, obj=None):
        return ("space",) if obj is not None else ()  # its bookings belong to the space's district

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "space":
            kwargs["queryset"] = Space.objects.visible_to(request.user).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UpcomingClosureFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Current and upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        today = local_today()
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
        return super().get_queryset(request).filter(space__in=Space.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "space":
            kwargs["queryset"] = Space.objects.visible_to(request.user).order_by("name")
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
