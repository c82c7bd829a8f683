"""The eligibility rules in the admin: a program's rule groups (inline on its page, each opened on its
own page for its criteria), the rule tree as shown to managers, a sample profile to try the rules on,
and the standard median income table."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from households.models import Employment, Gender, HousingTenure, IncomeSupport
from portal.admin_tools import ScopedHistoryMixin
from portal.i18n import is_english
from portal.models import District
from portal.place_fields import PlaceChoiceField

from ..eligibility import Group, Rule, rule_problems
from ..models import Criterion, CriterionGroup, Field, MedianIncome, Program
from ..selectors import MEDIAN_CACHE_KEY
from ..services import program_root_group, program_rules_changed


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


YES_NO_UNKNOWN = [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]


class SampleProfileForm(forms.Form):
    """A made-up profile to try a program's rules on; nothing is stored."""

    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("Unknown")), *Gender.choices], required=False
    )
    district = PlaceChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
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
        programs = Program.objects.visible_to(request.user)
        return super().get_queryset(request).filter(program__in=programs)

    def has_add_permission(self, request) -> bool:
        return False  # groups are added from the program page, where their program is known

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.program.editable_by(request.user))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or (obj.parent_id is not None and obj.program.editable_by(request.user))
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
        cache.delete(MEDIAN_CACHE_KEY)
