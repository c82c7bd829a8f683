"""The kit request review queue: the list by priority group and waiting time, a request in full
(access-logged), and approvals and rejections one by one or in bulk, all through safety.services."""

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
from portal.errors import DomainError
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name
from programs.eligibility import stored_text

from ..models import RESERVING_STATUSES, KitItem, KitRequest, KitRequestItem, KitRequestStatus
from ..services import DECISION_PROMISE, TRANSITIONS, kit_request_decide
from .visits import SLOT_LABELS, InstallationVisitInline, VisitPagesMixin

BULK_LIMIT = 500
VERDICT_LABELS = {
    "eligible": _("Eligible"),
    "ineligible": _("Not eligible"),
    "needs_info": _("More information needed"),
}
DECISION_LABELS = {"approve": _("Approve and reserve stock"), "reject": _("Reject")}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting (the resident will read it)"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        max_length=2000,
        validators=[refuse_identifiers],
        error_messages={"required": _("Give a reason: the resident will read it.")},
    )


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


# --- the review queue --------------------------------------------------------------------------------


@admin.register(KitRequest)
class KitRequestAdmin(VisitPagesMixin, AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
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
        return queryset.visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        queryset = (
            KitRequest.objects.select_related(
                "household__user", "household__district", "household__neighbourhood", "district", "decided_by"
            )
            .prefetch_related(Prefetch("items", queryset=KitRequestItem.objects.select_related("item")))
            .visible_to(request.user)
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
                    (marks[line.get("passed")], stored_text(line, "rule"), stored_text(line, "comparison"))
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
            except DomainError as error:
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
