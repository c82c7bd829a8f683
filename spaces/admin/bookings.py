"""The booking review queue: decisions, attendance and cancellation, each through spaces.services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator, ScopedHistoryMixin
from portal.timeutils import local_midnight, local_today, to_local

from ..models import (
    Booking,
    BookingPolicy,
    Space,
    Suspension,
)
from ..rules import active_suspension
from ..services import (
    BookingError,
    booking_decide,
    booking_flow,
    booking_mark_attendance,
    booking_staff_cancel,
)
from .common import BULK_LIMIT, B, ReasonForm, local_moment, local_span, status_badge, who_booked

# --- the booking review queue ----------------------------------------------------------------------


class SpaceFilter(admin.SimpleListFilter):
    """The space filter offers only the user's district's spaces (the default would list every one)."""

    title = _("space")
    parameter_name = "space"

    def lookups(self, request, model_admin):
        spaces = Space.objects.visible_to(request.user).order_by("name", "pk").values_list("pk", "name")
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
            day_from = local_midnight(local_today(now))
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
    if not booking_flow.allows(booking.status, DECISION_STATUS[action]):
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
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        queryset = Booking.objects.select_related(*BOOKING_DETAIL_RELATED).visible_to(request.user)
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
