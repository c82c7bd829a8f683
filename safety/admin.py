"""Staff side of safety kits: the request review queue, installation visits, stock and its ledger.

Nothing here decides anything: approvals, rejections, visits and stock movements all go through
safety.services (transition table, stock locks, audit events, notifications). Every queryset is scoped
through portal.scoping_legacy, so a caseworker sees only their own district's requests, stock and ledger.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator, ScopedHistoryMixin
from portal.masking import mask_name
from portal.models import District
from portal.scoping_legacy import kit_requests_visible_to, programs_visible_to, stock_visible_to

from .models import (
    OPEN_VISIT_STATUSES,
    RESERVING_STATUSES,
    InstallationVisit,
    KitItem,
    KitOffer,
    KitRequest,
    KitRequestItem,
    KitRequestStatus,
    KitStock,
    MovementKind,
    Slot,
    StockMovement,
)
from .selectors import available_subquery
from .services import (
    DECISION_PROMISE,
    TRANSITIONS,
    SafetyError,
    kit_request_decide,
    stock_adjust,
    stock_receive,
    visit_complete,
    visit_schedule,
)

BULK_LIMIT = 500
VERDICT_LABELS = {
    "eligible": _("Eligible"),
    "ineligible": _("Not eligible"),
    "needs_info": _("More information needed"),
}
DECISION_LABELS = {"approve": _("Approve and reserve stock"), "reject": _("Reject")}
SLOT_LABELS = dict(Slot.choices)


# --- forms -------------------------------------------------------------------------------------------


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting (the resident will read it)"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        max_length=2000,
        error_messages={"required": _("Give a reason: the resident will read it.")},
    )


class ScheduleVisitForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    window_start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    window_end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    installer = forms.CharField(label=_("Installer"), max_length=100)


class CompleteVisitForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("installed", _("Installed")), ("failed", _("Installation failed"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Installation note"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )
    failure_reason = forms.CharField(
        label=_("Why it failed"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "failed" and not (cleaned.get("failure_reason") or "").strip():
            self.add_error("failure_reason", _("Say why the installation failed."))
        return cleaned


class StockEntryForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    item = forms.ModelChoiceField(label=_("Item"), queryset=KitItem.objects.all())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (MovementKind.RECEIPT, _("Receipt (new stock arrived)")),
            (MovementKind.ADJUSTMENT, _("Adjustment")),
        ],
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        help_text=_("A receipt: how many arrived. An adjustment: the change, e.g. -2 or 3."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Required for an adjustment (e.g. 'counted 2 fewer: damaged in storage')."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A city admin records stock for any district; district staff for their own only.
        districts = District.objects.select_related("city").order_by("code")
        if not user.sees_all_districts:
            districts = districts.filter(pk=user.district_id) if user.district_id else districts.none()
        self.fields["district"].queryset = districts

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == MovementKind.ADJUSTMENT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the stock is adjusted."))
        return cleaned


# --- list filters ------------------------------------------------------------------------------------


class ItemFilter(admin.SimpleListFilter):
    title = _("item")
    parameter_name = "item"

    def lookups(self, request, model_admin):
        return [(str(item.pk), str(item)) for item in KitItem.objects.all()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(items__item_id=int(self.value()))
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting time")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("over_7d", _("Undecided for more than 7 days"))]

    def queryset(self, request, queryset):
        if self.value() == "over_7d":
            return queryset.filter(
                status=KitRequestStatus.SUBMITTED, submitted_at__lt=timezone.now() - DECISION_PROMISE
            )
        return queryset


# --- inlines -----------------------------------------------------------------------------------------


class InstallationVisitInline(admin.TabularInline):
    """Visits are scheduled and closed through their own pages (and the services), never edited here."""

    model = InstallationVisit
    fields = ("date", "window", "installer", "status", "note", "failure_reason", "resident_note", "close")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Installation visits")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("window"))
    def window(self, visit: InstallationVisit) -> str:
        return f"{visit.window_start:%H:%M}–{visit.window_end:%H:%M}"

    @admin.display(description=_("record the outcome"))
    def close(self, visit: InstallationVisit) -> str:
        if visit.status not in OPEN_VISIT_STATUSES:
            return "—"
        url = reverse("admin:safety_kitrequest_complete_visit", args=[visit.request_id, visit.pk])
        return format_html('<a href="{}">{}</a>', url, _("Installed or failed…"))


# --- the review queue --------------------------------------------------------------------------------


@admin.register(KitRequest)
class KitRequestAdmin(AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = (
        "reference",
        "applicant",
        "requested_items",
        "priority",
        "status",
        "submitted_at",
        "waiting",
        "eligibility",
    )
    list_filter = ("status", ItemFilter, "priority", WaitingFilter)
    list_select_related = ("household",)
    search_fields = ("reference", "household__name")
    search_help_text = _("Search by reference number (KS-2026-000123) or applicant name.")
    # Priority groups first (수급자, 차상위, renters), then the oldest: the order places are handed out.
    ordering = ("priority", "submitted_at", "pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ("approve_selected", "reject_selected")
    inlines = [InstallationVisitInline]
    fieldsets = (
        (None, {"fields": ("reference", "status", "priority", "submitted_at", "waiting", "requested_items")}),
        (_("Applicant"), {"fields": ("applicant_name", "applicant_contact", "applicant_area")}),
        (_("Preferred visit times"), {"fields": ("windows",)}),
        (
            _("Eligibility"),
            {
                "fields": (
                    "eligibility",
                    "eligibility_rule_version",
                    "eligibility_checked_at",
                    "eligibility_outcome",
                )
            },
        ),
        (_("Decision"), {"fields": ("decided_at", "decided_by", "decision_reason")}),
        (_("Satisfaction survey"), {"fields": ("survey_result",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def get_queryset(self, request: HttpRequest):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("items", queryset=KitRequestItem.objects.select_related("item")))
            .defer("eligibility_lines")
        )
        return kit_requests_visible_to(request.user, queryset)

    def get_object(self, request, object_id, from_field=None):
        queryset = kit_requests_visible_to(
            request.user,
            KitRequest.objects.select_related(
                "household__user", "household__district", "household__neighbourhood", "district", "decided_by"
            ).prefetch_related(Prefetch("items", queryset=KitRequestItem.objects.select_related("item"))),
        )
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (KitRequest.DoesNotExist, ValidationError, ValueError):
            return None

    def has_add_permission(self, request) -> bool:
        return False  # residents request; staff never create one for them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Nothing is editable here: changes go through the decision and visit pages."""

    # --- columns -------------------------------------------------------------------------------

    @admin.display(description=_("applicant"))
    def applicant(self, obj: KitRequest) -> str:
        return mask_name(obj.household.name) or "—"

    @admin.display(description=_("items"))
    def requested_items(self, obj: KitRequest) -> str:
        return ", ".join(f"{line.item.icon} {line.item}".strip() for line in obj.items.all()) or "—"

    @admin.display(description=_("waiting"), ordering="submitted_at")
    def waiting(self, obj: KitRequest) -> str:
        if obj.status != KitRequestStatus.SUBMITTED or obj.submitted_at is None:
            return "—"
        waited = timezone.now() - obj.submitted_at
        days = max(waited.days, 0)
        text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        if waited >= DECISION_PROMISE:
            return format_html("<strong>{}</strong> ({})", text, _("over 7 days"))
        return text

    @admin.display(description=_("eligibility"), ordering="eligibility_verdict")
    def eligibility(self, obj: KitRequest) -> str:
        return VERDICT_LABELS.get(obj.eligibility_verdict, _("Not checked yet"))

    @admin.display(description=_("name"))
    def applicant_name(self, obj: KitRequest) -> str:
        return obj.household.name or "—"

    @admin.display(description=_("contact"))
    def applicant_contact(self, obj: KitRequest) -> str:
        lines = [value for value in (obj.household.phone, obj.household.user.email) if value]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "—"

    @admin.display(description=_("address"))
    def applicant_area(self, obj: KitRequest) -> str:
        household = obj.household
        parts = [str(household.district), str(household.neighbourhood or ""), household.address_detail]
        return " ".join(part for part in parts if part) or "—"

    @admin.display(description=_("preferred times"))
    def windows(self, obj: KitRequest) -> str:
        rows = [
            (w.get("date", ""), SLOT_LABELS.get(w.get("slot"), w.get("slot", "")))
            for w in obj.preferred_windows
        ]
        return format_html_join(mark_safe("<br>"), "{} {}", rows) if rows else "—"

    @admin.display(description=_("how the profile compares"))
    def eligibility_outcome(self, obj: KitRequest) -> str:
        lines = obj.eligibility_lines or []
        if not lines:
            return "—"
        marks = {True: _("Met"), False: _("Not met"), None: _("Information missing")}
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {} ({})</li>",
                (
                    (marks[line.get("passed")], line.get("rule", ""), line.get("comparison", ""))
                    for line in lines
                ),
            ),
        )

    @admin.display(description=_("survey"))
    def survey_result(self, obj: KitRequest) -> str:
        survey = getattr(obj, "survey", None) if obj.status == KitRequestStatus.INSTALLED else None
        if survey is None:
            return "—"
        return f"{survey.rating}/5 · {survey.comment}" if survey.comment else f"{survey.rating}/5"

    # --- PIPA access log ------------------------------------------------------------------------

    access_log_action = "safety.kit_request.viewed"

    def access_log_subject(self, obj: KitRequest):
        return obj.household.user_id, obj.district

    # --- buttons and pages -----------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        buttons = []
        if obj is not None and self.has_change_permission(request, obj):
            allowed = TRANSITIONS.get(obj.status, set())
            if obj.status == KitRequestStatus.SUBMITTED:
                buttons.append(
                    {
                        "url": reverse("admin:safety_kitrequest_decide", args=[obj.pk, "approve"]),
                        "label": DECISION_LABELS["approve"],
                    }
                )
            if KitRequestStatus.REJECTED in allowed:
                buttons.append(
                    {
                        "url": reverse("admin:safety_kitrequest_decide", args=[obj.pk, "reject"]),
                        "label": DECISION_LABELS["reject"],
                    }
                )
            if obj.status in RESERVING_STATUSES:
                buttons.append(
                    {
                        "url": reverse("admin:safety_kitrequest_schedule_visit", args=[obj.pk]),
                        "label": _("Schedule a visit")
                        if obj.status == KitRequestStatus.APPROVED
                        else _("Schedule a new visit"),
                    }
                )
        context["decision_buttons"] = buttons
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/decide/<slug:action>/",
                view(self.decide_view),
                name="safety_kitrequest_decide",
            ),
            path(
                "<path:object_id>/schedule/",
                view(self.schedule_view),
                name="safety_kitrequest_schedule_visit",
            ),
            path(
                "<path:object_id>/visits/<int:visit_id>/complete/",
                view(self.complete_visit_view),
                name="safety_kitrequest_complete_visit",
            ),
        ] + super().get_urls()

    def _changeable(self, request, object_id: str) -> KitRequest:
        kit_request = self.get_object(request, unquote(object_id))
        if kit_request is None:
            raise Http404
        if not self.has_change_permission(request, kit_request):
            raise PermissionDenied
        return kit_request

    def _page(self, request, template: str, **context) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, f"admin/safety/kitrequest/{template}", context)

    def decide_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        if action not in DECISION_LABELS:
            raise Http404
        kit_request = self._changeable(request, object_id)
        change_url = reverse("admin:safety_kitrequest_change", args=[kit_request.pk])
        form = RejectForm(request.POST if request.method == "POST" else None) if action == "reject" else None
        if request.method == "POST" and (form is None or form.is_valid()):
            self._decide(request, [kit_request], action, form.cleaned_data["reason"] if form else "")
            return HttpResponseRedirect(change_url)
        return self._page(
            request,
            "decision_confirmation.html",
            title=DECISION_LABELS[action],
            requests=[kit_request],
            form=form,
            bulk=False,
            cancel_url=change_url,
        )

    def schedule_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        kit_request = self._changeable(request, object_id)
        change_url = reverse("admin:safety_kitrequest_change", args=[kit_request.pk])
        form = ScheduleVisitForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                visit_schedule(
                    kit_request=kit_request, actor=request.user, request=request, **form.cleaned_data
                )
            except SafetyError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request, _("The visit is scheduled and the resident notified."), messages.SUCCESS
                )
                return HttpResponseRedirect(change_url)
        return self._page(
            request,
            "visit_form.html",
            title=_("Schedule an installation visit"),
            kit_request=kit_request,
            form=form,
            cancel_url=change_url,
            preferred=[
                (w.get("date", ""), SLOT_LABELS.get(w.get("slot"), "")) for w in kit_request.preferred_windows
            ],
            open_visits=list(kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES)),
        )

    def complete_visit_view(self, request: HttpRequest, object_id: str, visit_id: int) -> HttpResponse:
        kit_request = self._changeable(request, object_id)
        visit = kit_request.visits.filter(pk=visit_id).first()
        if visit is None:
            raise Http404
        change_url = reverse("admin:safety_kitrequest_change", args=[kit_request.pk])
        form = CompleteVisitForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                visit_complete(
                    visit=visit,
                    actor=request.user,
                    installed=form.cleaned_data["outcome"] == "installed",
                    note=form.cleaned_data["note"],
                    failure_reason=form.cleaned_data["failure_reason"],
                    request=request,
                )
            except SafetyError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, _("The visit's outcome is recorded."), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        return self._page(
            request,
            "visit_form.html",
            title=_("Record the visit's outcome"),
            kit_request=kit_request,
            visit=visit,
            form=form,
            cancel_url=change_url,
        )

    @admin.action(description=_("Approve selected requests (reserves stock)"), permissions=["change"])
    def approve_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "approve")

    @admin.action(description=_("Reject selected requests"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "reject")

    def _decide_selected(self, request, queryset, action: str) -> HttpResponse | None:
        # Queue order: when stock runs out, the highest-priority, oldest requests got it.
        chosen = list(queryset.order_by("priority", "submitted_at", "pk")[: BULK_LIMIT + 1])
        if len(chosen) > BULK_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)d requests at a time.") % {"limit": BULK_LIMIT},
                messages.ERROR,
            )
            return None
        form = RejectForm(request.POST if request.POST.get("post") else None) if action == "reject" else None
        confirmed = bool(request.POST.get("post"))
        if confirmed and (form is None or form.is_valid()):
            self._decide(request, chosen, action, form.cleaned_data["reason"] if form else "")
            return None
        return self._page(
            request,
            "decision_confirmation.html",
            title=DECISION_LABELS[action],
            requests=chosen,
            form=form,
            bulk=True,
            action_name=f"{action}_selected",
            action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
            cancel_url=request.get_full_path(),
        )

    def _decide(self, request, chosen: list[KitRequest], action: str, reason: str) -> None:
        done, refused = 0, []
        for kit_request in chosen:
            try:
                kit_request_decide(
                    kit_request=kit_request, action=action, actor=request.user, reason=reason, request=request
                )
            except SafetyError as error:
                refused.append(f"{kit_request.reference}: {error.message}")
            else:
                done += 1
        label = DECISION_LABELS[action]
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(decision)s: %(count)d request done.", "%(decision)s: %(count)d requests done.", done
                )
                % {"decision": label, "count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(decision)s: %(count)d request could not be changed. %(details)s",
                    "%(decision)s: %(count)d requests could not be changed. %(details)s",
                    len(refused),
                )
                % {"decision": label, "count": len(refused), "details": " · ".join(refused)},
                messages.ERROR,
            )


# --- stock -------------------------------------------------------------------------------------------


@admin.register(KitStock)
class KitStockAdmin(admin.ModelAdmin):
    list_display = ("district", "item", "available", "low_stock_threshold", "is_low", "ledger_link")
    list_filter = ("item",)
    list_select_related = ("district", "item")
    ordering = ("district__code", "item__position", "item_id")
    fields = ("district", "item", "available", "low_stock_threshold", "ledger_link")
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(available=available_subquery())
        return stock_visible_to(request.user, queryset)

    def get_readonly_fields(self, request, obj=None):
        return ("district", "item", "available", "ledger_link")

    def has_add_permission(self, request) -> bool:
        return False  # a stock row appears with its first receipt

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("available"), ordering="available")
    def available(self, obj: KitStock) -> int:
        return obj.available

    @admin.display(description=_("low"), boolean=True)
    def is_low(self, obj: KitStock) -> bool:
        return obj.available <= obj.low_stock_threshold

    @admin.display(description=_("ledger"))
    def ledger_link(self, obj: KitStock) -> str:
        url = reverse("admin:safety_stockmovement_changelist")
        return format_html(
            '<a href="{}?district__id__exact={}&amp;item__id__exact={}">{}</a>',
            url,
            obj.district_id,
            obj.item_id,
            _("See every movement"),
        )


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    """The ledger, read-only. "Add" records a receipt or an adjustment through the services."""

    list_display = (
        "created_at",
        "district",
        "item",
        "kind",
        "signed_quantity",
        "reason",
        "request_link",
        "actor",
    )
    list_filter = ("kind", "item", "district")
    list_select_related = ("district", "item", "request", "actor")
    ordering = ("-created_at", "-pk")
    search_fields = ("request__reference", "reason")
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request):
        return stock_visible_to(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        return ("kind", "item", "district") if request.user.sees_all_districts else ("kind", "item")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("quantity"), ordering="quantity")
    def signed_quantity(self, obj: StockMovement) -> str:
        return f"{obj.quantity:+d}"

    @admin.display(description=_("request"))
    def request_link(self, obj: StockMovement) -> str:
        if obj.request_id is None:
            return "—"
        url = reverse("admin:safety_kitrequest_change", args=[obj.request_id])
        return format_html('<a href="{}">{}</a>', url, obj.request.reference or obj.request_id)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {
            "kind": MovementKind.RECEIPT,
            **{k: v for k, v in request.GET.items() if k in ("item", "district")},
        }
        form = StockEntryForm(
            request.POST if request.method == "POST" else None, user=request.user, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            service = stock_receive if data["kind"] == MovementKind.RECEIPT else stock_adjust
            try:
                service(
                    district=data["district"],
                    item=data["item"],
                    quantity=data["quantity"],
                    actor=request.user,
                    reason=data["reason"],
                )
            except SafetyError as error:
                field = {
                    "invalid_quantity": "quantity",
                    "negative_stock": "quantity",
                    "reason_required": "reason",
                }
                form.add_error(field.get(error.code), error.message)
            else:
                self.message_user(request, _("The movement is recorded in the ledger."), messages.SUCCESS)
                return HttpResponseRedirect(
                    f"{reverse('admin:safety_stockmovement_changelist')}"
                    f"?district__id__exact={data['district'].pk}&item__id__exact={data['item'].pk}"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Record a receipt or an adjustment"),
            "form": form,
            "cancel_url": reverse("admin:safety_stockmovement_changelist"),
        }
        return TemplateResponse(request, "admin/safety/stockmovement/entry_form.html", context)


# --- catalog and offers ------------------------------------------------------------------------------


@admin.register(KitItem)
class KitItemAdmin(admin.ModelAdmin):
    list_display = ("position", "icon", "name", "name_en", "code")
    list_display_links = ("name",)
    search_fields = ("name", "name_en", "code")
    ordering = ("position", "pk")
    prepopulated_fields = {"code": ("name_en",)}


@admin.register(KitOffer)
class KitOfferAdmin(admin.ModelAdmin):
    list_display = ("district", "program", "max_items", "is_active")
    list_select_related = ("district", "program")
    filter_horizontal = ("items",)
    fields = ("district", "program", "items", "max_items", "is_active", "priority_notes", "priority_notes_en")

    def get_queryset(self, request):
        return stock_visible_to(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district" and not request.user.sees_all_districts:
            kwargs["queryset"] = District.objects.filter(pk=request.user.district_id)
        if db_field.name == "program":
            kwargs["queryset"] = programs_visible_to(request.user).order_by("title")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
