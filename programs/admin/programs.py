"""Program managers define programs, their policy record, questions and sessions here; the eligibility
rules' admin is in programs.admin.rules."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import ScopedHistoryMixin
from portal.i18n import is_english
from portal.models import District, Neighbourhood
from spaces.models import Booking

from ..eligibility import evaluate
from ..models import PolicyMilestone, PolicyOfficial, Program, ProgramSession
from ..selectors import median_table, place_names, rule_trees
from ..services import outreach, program_rules_changed
from .questions import ProgramQuestionInline
from .rules import CriterionGroupInline, SampleProfileForm, render_tree


class PolicyOfficialInline(admin.TabularInline):
    model = PolicyOfficial
    extra = 0


class PolicyMilestoneInline(admin.TabularInline):
    model = PolicyMilestone
    extra = 0


class SessionBookingSelect(AutocompleteSelect):
    """The autocomplete box of a session's room booking. Its selected option's label normally costs a
    query per row; the formset hands it the labels of the bookings it already loaded instead."""

    known_labels: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        known = self.known_labels or {}
        if not selected or any(pk not in known for pk in selected):
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        for pk in selected:
            default[1].append(self.create_option(name, pk, known[pk], set(selected), len(default[1])))
        return [default]


class ProgramSessionFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        widget = getattr(form.fields.get("booking"), "widget", None)
        widget = getattr(widget, "widget", widget)  # inside the admin's related-field wrapper
        if isinstance(widget, SessionBookingSelect):
            if not hasattr(self, "_booking_labels"):
                self._booking_labels = {
                    str(session.booking_id): str(session.booking)
                    for session in self.get_queryset()
                    if session.booking_id
                }
            widget.known_labels = self._booking_labels
        return form


class ProgramSessionInline(admin.TabularInline):
    """A program's dated sessions. A session held in a community room links to its booking (searched
    by reference number, among the bookings the user may see), which then gives its place and time."""

    model = ProgramSession
    formset = ProgramSessionFormSet
    fields = ("booking", "starts_at", "ends_at", "place", "participants")
    autocomplete_fields = ("booking",)
    extra = 0
    verbose_name_plural = _("Sessions (a linked room booking sets the place and time)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("booking")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "booking":
            # spaces scopes a booking by its space's district, stored on the booking.
            kwargs["queryset"] = Booking.objects.visible_to(request.user)
            kwargs["widget"] = SessionBookingSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Program)
class ProgramAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "owner_name",
        "category",
        "status",
        "selection_method",
        "application_end",
        "rule_version",
    )
    list_filter = ("status", "category", "selection_method", "benefit_type", "district")
    list_select_related = ("city", "district")
    search_fields = ("title", "title_en", "summary", "department", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("rule_version", "rules_summary")
    inlines = [
        CriterionGroupInline,
        ProgramQuestionInline,
        PolicyOfficialInline,
        PolicyMilestoneInline,
        ProgramSessionInline,
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    "status",
                    "city",
                    "district",
                    "category",
                    "benefit_type",
                    "selection_method",
                )
            },
        ),
        (_("Title and summary"), {"fields": ("title", "title_en", "summary", "summary_en")}),
        (_("Target groups"), {"fields": ("for_youth", "for_middle_aged", "for_seniors", "for_women")}),
        (
            _("Catalog fields (복지로)"),
            {
                "fields": (
                    "target_text",
                    "target_text_en",
                    "benefit_text",
                    "benefit_text_en",
                    "selection_text",
                    ("application_start", "application_end"),
                    "period_note",
                    "how_to_apply",
                    "required_documents",
                    "department",
                    "contact",
                    "legal_basis",
                    "capacity",
                    "budget",
                )
            },
        ),
        (
            _("Policy real-name record (정책실명제)"),
            {"fields": ("policy_number", "policy_background", "policy_period")},
        ),
        (_("Eligibility"), {"fields": ("rule_version", "rules_summary")}),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Program | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.editable_by(request.user))

    def has_delete_permission(self, request: HttpRequest, obj: Program | None = None) -> bool:
        # Programs are archived, never deleted: applications and reports refer to them.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "district" and not user.sees_all_districts:
            # District staff own district programs only: city-wide ones are the city's to create.
            kwargs["queryset"] = District.objects.visible_to(user)
            kwargs["required"] = True
            kwargs["empty_label"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Rules"))
    def rules_summary(self, obj: Program) -> str:
        if obj.pk is None:
            return "—"
        tree = rule_trees([obj.pk]).get(obj.pk)
        preview = reverse("admin:programs_program_eligibility_preview", args=[obj.pk])
        link = format_html(
            '<p><a href="{}">{}</a></p>', preview, _("Test these rules against a sample profile")
        )
        impact = format_html(
            '<p><a href="{}">{}</a></p>',
            reverse("admin:programs_program_outreach_impact", args=[obj.pk]),
            _("Impact preview: how many households would qualify now, and how many asked to be told"),
        )
        return format_html("{}{}{}", render_tree(tree), link, impact)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        program_rules_changed(program=form.instance, actor=request.user)

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/eligibility-preview/",
                self.admin_site.admin_view(self.eligibility_preview),
                name="programs_program_eligibility_preview",
            ),
            path(
                "<int:pk>/outreach-impact/",
                self.admin_site.admin_view(self.outreach_impact),
                name="programs_program_outreach_impact",
            ),
        ]
        return urls + super().get_urls()

    def eligibility_preview(self, request: HttpRequest, pk: int) -> HttpResponse:
        program = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, program):
            raise PermissionDenied
        form = SampleProfileForm(request.GET or None)
        outcome = None
        if form.is_bound and form.is_valid():
            day = timezone.localdate()
            outcome = evaluate(
                rule_trees([program.pk]).get(program.pk),
                form.profile(),
                medians=median_table(),
                on=day,
                rule_version=program.rule_version,
                place_names=place_names(),
                english=is_english(),
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Test eligibility rules"),
            "program": program,
            "form": form,
            "outcome": outcome,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/programs/program/eligibility_preview.html", context)

    def outreach_impact(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Before publishing: who the rules would reach today, in counts only (no person is shown),
        among the households this staff member may see."""
        program = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, program):
            raise PermissionDenied
        impact = outreach.outreach_impact(program, user=request.user)
        districts = {
            d.pk: d for d in District.objects.filter(pk__in=impact.by_district).select_related("city")
        }
        neighbourhoods = {
            n.pk: n for n in Neighbourhood.objects.filter(pk__in=[k for k in impact.by_neighbourhood if k])
        }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Impact preview"),
            "program": program,
            "impact": impact,
            "by_district": sorted(
                ((str(districts[k]), *v) for k, v in impact.by_district.items()), key=lambda r: (-r[1], r[0])
            ),
            "by_neighbourhood": sorted(
                (
                    (f"{neighbourhoods[k].district} {neighbourhoods[k]}" if k else _("Not given"), *v)
                    for k, v in impact.by_neighbourhood.items()
                ),
                key=lambda r: (-r[1], str(r[0])),
            ),
            "by_stage": [
                (label, impact.by_stage[key]) for key, label in LIFE_STAGE_LABELS if key in impact.by_stage
            ],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/programs/program/outreach_impact.html", context)


LIFE_STAGE_LABELS = (
    ("under_19", _("Under 19")),
    ("youth", _("Youth (19–39)")),
    ("middle_age", _("Middle age (40–64)")),
    ("senior", _("Seniors (65+)")),
)
