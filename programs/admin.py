"""Program managers define programs, their policy record and their eligibility rules here."""

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
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from households.models import Employment, Gender, HousingTenure, IncomeSupport
from portal.admin_tools import ScopedHistoryMixin
from portal.i18n import is_english
from portal.models import District
from portal.scoping_legacy import bookings_visible_to, program_editable_by, programs_visible_to

from .admin_applications import ProgramQuestionInline  # also registers the review queue admin
from .eligibility import Group, Rule, evaluate, rule_problems
from .models import (
    Criterion,
    CriterionGroup,
    Field,
    MedianIncome,
    PolicyMilestone,
    PolicyOfficial,
    Program,
    ProgramSession,
)
from .selectors import MEDIAN_CACHE_KEY, median_table, place_names, rule_trees
from .services import program_root_group, program_rules_changed


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
            kwargs["queryset"] = bookings_visible_to(request.user)
            kwargs["widget"] = SessionBookingSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CriterionGroupInline(admin.TabularInline):
    model = CriterionGroup
    fields = ("label", "logic", "parent", "position")
    extra = 0
    show_change_link = True  # criteria are edited on the group's own page
    verbose_name_plural = _("Eligibility rule groups (open a group to edit its criteria)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            program_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = CriterionGroup.objects.filter(program_id=program_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def render_tree(group: Group | None, depth: int = 0) -> str:
    """The rule tree as nested HTML lists, for the program page in the admin."""
    if group is None:
        return format_html("<p>{}</p>", _("No criteria: everyone qualifies."))
    english = is_english()
    items = format_html_join(
        "",
        "<li>{}</li>",
        (
            (rule.explanation_en if english and rule.explanation_en else rule.explanation,)
            for rule in group.rules
        ),
    )
    children = format_html_join(
        "", "<li>{}</li>", ((render_tree(child, depth + 1),) for child in group.groups)
    )
    logic = _("All of") if group.logic == "all" else _("Any of")
    return format_html("<strong>{}</strong><ul>{}{}</ul>", logic, items, children)


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
        return programs_visible_to(request.user, super().get_queryset(request))

    def has_change_permission(self, request: HttpRequest, obj: Program | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or program_editable_by(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Program | None = None) -> bool:
        # Programs are archived, never deleted: applications and reports refer to them.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "district" and not user.sees_all_districts:
            # District staff own district programs only: city-wide ones are the city's to create.
            kwargs["queryset"] = District.objects.filter(pk=user.district_id)
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
        return format_html("{}{}", render_tree(tree), link)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        program_rules_changed(program=form.instance, actor=request.user)

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/eligibility-preview/",
                self.admin_site.admin_view(self.eligibility_preview),
                name="programs_program_eligibility_preview",
            )
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


YES_NO_UNKNOWN = [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]


class SampleProfileForm(forms.Form):
    """A made-up profile to try a program's rules on; nothing is stored."""

    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("Unknown")), *Gender.choices], required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("city"),
        required=False,
        to_field_name="code",
    )
    housing_tenure = forms.ChoiceField(
        label=_("Housing tenure"), choices=[("", _("Unknown")), *HousingTenure.choices], required=False
    )
    household_size = forms.IntegerField(label=_("Household size"), required=False, min_value=1, max_value=10)
    monthly_income = forms.IntegerField(label=_("Monthly income (KRW)"), required=False, min_value=0)
    employment = forms.ChoiceField(
        label=_("Employment"), choices=[("", _("Unknown")), *Employment.choices], required=False
    )
    income_support = forms.ChoiceField(
        label=_("Public assistance status"),
        choices=[("", _("Unknown")), *IncomeSupport.choices],
        required=False,
    )
    crime_victim = forms.NullBooleanField(
        label=_("Victim of a crime"), required=False, widget=forms.Select(choices=YES_NO_UNKNOWN)
    )
    single_parent = forms.NullBooleanField(
        label=_("Single-parent household"), required=False, widget=forms.Select(choices=YES_NO_UNKNOWN)
    )
    disability = forms.NullBooleanField(
        label=_("Registered disability"), required=False, widget=forms.Select(choices=YES_NO_UNKNOWN)
    )

    def profile(self) -> dict:
        data = dict(self.cleaned_data)
        district = data.pop("district", None)
        profile = {key: (value if value != "" else None) for key, value in data.items()}
        profile[Field.DISTRICT] = district.code if district else None
        profile[Field.CITY] = district.city.code if district else None
        return profile


class CriterionForm(forms.ModelForm):
    """Checks a criterion can be evaluated (right operator for the fact, value of the right shape)."""

    value = forms.JSONField(
        label=_("Value"),
        required=False,
        help_text=_('JSON: 39, "female", ["jeonse", "monthly_rent"], [19, 39]. District codes like "11620".'),
        widget=forms.TextInput(attrs={"size": 30}),
    )

    class Meta:
        model = Criterion
        fields = (
            "field",
            "operator",
            "value",
            "parameter",
            "parameter_percent",
            "parameter_year",
            "parameter_household_size",
            "explanation",
            "explanation_en",
            "position",
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        rule = Rule(
            field=cleaned.get("field", ""),
            operator=cleaned.get("operator", ""),
            value=cleaned.get("value"),
            parameter=cleaned.get("parameter", ""),
            parameter_percent=cleaned.get("parameter_percent"),
        )
        for problem in rule_problems(rule):
            self.add_error(None, problem)
        return cleaned


class CriterionInline(admin.TabularInline):
    model = Criterion
    form = CriterionForm
    extra = 1


@admin.register(CriterionGroup)
class CriterionGroupAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "program", "logic", "parent")
    list_select_related = ("program", "parent")
    search_fields = ("program__title", "label")
    fields = ("program", "label", "logic", "parent", "position")
    readonly_fields = ("program",)
    inlines = [CriterionInline]

    def get_queryset(self, request):
        programs = programs_visible_to(request.user)
        return super().get_queryset(request).filter(program__in=programs)

    def has_add_permission(self, request) -> bool:
        return False  # groups are added from the program page, where their program is known

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or program_editable_by(request.user, obj.program))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or (obj.parent_id is not None and program_editable_by(request.user, obj.program))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            group_id = request.resolver_match.kwargs.get("object_id")
            group = CriterionGroup.objects.filter(pk=group_id).first()
            kwargs["queryset"] = CriterionGroup.objects.filter(
                program_id=group.program_id if group else 0
            ).exclude(pk=group_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        program_root_group(program=form.instance.program)
        program_rules_changed(program=form.instance.program, actor=request.user)

    def delete_model(self, request, obj: CriterionGroup) -> None:
        program = obj.program
        super().delete_model(request, obj)
        program_rules_changed(program=program, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        programs = list(Program.objects.filter(criterion_groups__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for program in programs:
            program_rules_changed(program=program, actor=request.user)


@admin.register(MedianIncome)
class MedianIncomeAdmin(admin.ModelAdmin):
    list_display = ("year", "household_size", "formatted_amount")
    list_filter = ("year",)
    ordering = ("-year", "household_size")

    @admin.display(description=_("Monthly amount (KRW)"), ordering="amount")
    def formatted_amount(self, obj: MedianIncome) -> str:
        return f"{obj.amount:,}"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        from django.core.cache import cache

        cache.delete(MEDIAN_CACHE_KEY)
