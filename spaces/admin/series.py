"""Staff booking series for regular programs: created all-or-nothing, cancelled whole or one date
at a time."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import CappedCountPaginator, ScopedHistoryMixin
from portal.datefields import SupportedDateField
from portal.identifiers import refuse_identifiers
from portal.timeutils import to_local

from ..models import (
    UPCOMING_STATUSES,
    BookingSeries,
    Room,
    Weekday,
)
from ..selectors import programs_visible_to
from ..services import (
    BookingError,
    SeriesError,
    series_cancel,
    series_create,
)
from .common import BULK_LIMIT, WEEKDAY_SHORT, ReasonForm, local_span, status_badge, visible_rooms

# --- staff booking series ----------------------------------------------------------------------------


class SeriesForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        validators=[refuse_identifiers],
        help_text=_("Shown in the calendar, e.g. 'Tuesday cooking class'."),
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
    starts_on = SupportedDateField(label=_("First date"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = SupportedDateField(label=_("Last date"), widget=forms.DateInput(attrs={"type": "date"}))
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
        return queryset.visible_to(request.user)

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
