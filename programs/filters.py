"""Filters: the catalog's (shared by the catalog page and the programs API so both answer alike) and
the applications API's (the staff review queue and the resident's own list)."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import django_filters
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from portal.choices import district_choices
from portal.datefields import SupportedDateFilter
from portal.models import District
from portal.timeutils import local_midnight
from portal.widgets import FastSelect, FastTextInput

from .models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationStatus,
    BenefitType,
    Category,
    Program,
    ProgramStatus,
)
from .selectors import search_programs

LIFE_STAGES = [
    ("youth", _("Youth (19–39)")),
    ("middle_aged", _("Middle age (40–64)")),
    ("seniors", _("Seniors (65+)")),
]
LIFE_STAGE_FIELDS = {"youth": "for_youth", "middle_aged": "for_middle_aged", "seniors": "for_seniors"}
SORTS = [
    ("deadline", _("Closing soonest")),
    ("newest", _("Newest")),
    ("title", _("Title")),
]


class _RememberedDistricts(ModelChoiceIterator):
    """The district list from portal.choices (remembered per process) instead of a query per render:
    the same (code, name) pairs the queryset would give, after the empty choice."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from district_choices()

    def __len__(self) -> int:
        return len(district_choices()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(district_choices())


class DistrictField(ModelChoiceField):
    iterator = _RememberedDistricts


class DistrictFilter(django_filters.ModelChoiceFilter):
    """Lists the remembered districts; a chosen code is still looked up in the table."""

    field_class = DistrictField


class _LightlyCopiedFilters(dict):
    """A FilterSet's base filters, copied for each filter set one by one with copy.copy instead of
    FilterSet.__init__'s deepcopy (which copied their querysets, lazy labels and choice lists on every
    request, for the same effect): a filter set only sets `model` and `parent` on its copies. A
    filter with a `method` gets its own FilterMethod, bound to the copy, as deepcopy would give it."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            duplicate = copy.copy(filter_)
            if duplicate.method is not None:
                duplicate.method = duplicate.method  # the property's setter binds a new FilterMethod
            copies[name] = duplicate
        return copies


class _SharedFields(dict):
    """A form's base fields that each form instance shares instead of deep-copying (BaseForm copies
    them so that a form may change its own fields; the catalog filter's form never does)."""

    def __deepcopy__(self, memo):
        return dict(self)


class ProgramFilter(django_filters.FilterSet):
    # The catalog page renders this form on every request: its widgets are the Python-rendered ones
    # (portal.widgets), the same markup as Django's without a template include per <option>.
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=100, widget=FastTextInput
    )
    district = DistrictFilter(
        label=_("District"),
        queryset=District.objects.select_related("city"),
        to_field_name="code",
        method="filter_district",
        empty_label=_("All districts"),
        widget=FastSelect,
    )
    category = django_filters.ChoiceFilter(
        label=_("Area"), choices=Category.choices, empty_label=_("All areas"), widget=FastSelect
    )
    life_stage = django_filters.ChoiceFilter(
        label=_("Life stage"),
        choices=LIFE_STAGES,
        method="filter_life_stage",
        empty_label=_("Any age"),
        widget=FastSelect,
    )
    women = django_filters.BooleanFilter(label=_("For women"), field_name="for_women")
    benefit_type = django_filters.ChoiceFilter(
        label=_("Benefit type"),
        choices=BenefitType.choices,
        empty_label=_("Any benefit"),
        widget=FastSelect,
    )
    open_now = django_filters.BooleanFilter(label=_("Open for applications now"), method="filter_open_now")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, method="filter_sort", empty_label=None, widget=FastSelect
    )

    class Meta:
        model = Program
        fields: list[str] = []

    @classmethod
    def _form_class(cls, filterset: ProgramFilter) -> type:
        # django-filter builds a new form class, with new fields, for every filter set; this one's
        # fields depend on nothing in the request, so each FilterSet class builds it once.
        if "_lean_form_class" not in cls.__dict__:
            form_class = super().get_form_class(filterset)
            form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._lean_form_class = form_class
        return cls._lean_form_class

    def get_form_class(self) -> type:
        return self._form_class(self)

    def filter_search(self, queryset: QuerySet[Program], name: str, value: str) -> QuerySet[Program]:
        return search_programs(queryset, value) if value.strip() else queryset

    def filter_district(
        self, queryset: QuerySet[Program], name: str, value: District | None
    ) -> QuerySet[Program]:
        # A district's residents can use its own programs and their city's city-wide ones.
        if value is None:
            return queryset
        return queryset.filter(Q(district=value) | Q(district__isnull=True, city_id=value.city_id))

    def filter_life_stage(self, queryset: QuerySet[Program], name: str, value: str) -> QuerySet[Program]:
        return queryset.filter(**{LIFE_STAGE_FIELDS[value]: True}) if value else queryset

    def filter_open_now(
        self, queryset: QuerySet[Program], name: str, value: bool | None
    ) -> QuerySet[Program]:
        if value is None:
            return queryset
        open_ids = Program.objects.open_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=open_ids) if value else queryset.exclude(pk__in=open_ids)

    def filter_sort(self, queryset: QuerySet[Program], name: str, value: str) -> QuerySet[Program]:
        return queryset  # applied in `qs` so that the default order holds when no sort is given

    @property
    def qs(self) -> QuerySet[Program]:
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        if sort == "newest":
            return queryset.order_by("-created_at", "-id")
        if sort == "title":
            return queryset.order_by("title", "id")
        # Closing soonest: open programs by deadline, then the always-open ones ("연중 상시"),
        # then those whose period is over.
        today = timezone.localdate()
        finished = Case(
            When(Q(status=ProgramStatus.CLOSED) | Q(application_end__lt=today), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return queryset.order_by(finished, F("application_end").asc(nulls_last=True), "title", "id")


ProgramFilter.base_filters = _LightlyCopiedFilters(ProgramFilter.base_filters)


# --- applications (API) ------------------------------------------------------------------------------

# Seo-gu's promise: every application gets an answer within 48 hours of submission.
ANSWER_PROMISE = timedelta(hours=48)
# Staff never see drafts: the resident has not sent them yet.
SUBMITTED_STATUSES = [(value, label) for value, label in ApplicationStatus.choices if value != "draft"]


def _programs(request: HttpRequest | None) -> QuerySet[Program]:
    # Only programs the staff member can see may be named: another district's id is "not a valid
    # choice", exactly like an id that does not exist.
    if request is None:
        return Program.objects.none()
    return Program.objects.visible_to(request.user)


class StaffApplicationFilter(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=_programs, help_text=_("A program id.")
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=SUBMITTED_STATUSES,
        help_text=_("Repeat the parameter for several statuses: ?status=submitted&status=under_review."),
    )
    submitted_after = SupportedDateFilter(
        label=_("Submitted on or after"),
        method="filter_submitted_after",
        help_text=_("A date (YYYY-MM-DD), Korean time, inclusive."),
    )
    submitted_before = SupportedDateFilter(
        label=_("Submitted on or before"),
        method="filter_submitted_before",
        help_text=_("A date (YYYY-MM-DD), Korean time, inclusive."),
    )
    waiting_over_48h = django_filters.BooleanFilter(
        label=_("Waiting more than 48 hours"),
        method="filter_waiting",
        help_text=_("true: undecided and submitted more than 48 hours ago; false: all the others."),
    )
    q = django_filters.CharFilter(
        label=_("Reference"),
        method="filter_reference",
        max_length=20,
        help_text=_("The reference number or its beginning, e.g. HN-2026-0001."),
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_submitted_after(self, queryset: QuerySet[Application], name: str, value: date):
        return queryset.filter(submitted_at__gte=local_midnight(value))

    def filter_submitted_before(self, queryset: QuerySet[Application], name: str, value: date):
        return queryset.filter(submitted_at__lt=local_midnight(value, days=1))

    def filter_waiting(self, queryset: QuerySet[Application], name: str, value: bool | None):
        if value is None:
            return queryset
        overdue = {"status__in": UNDECIDED_STATUSES, "submitted_at__lt": timezone.now() - ANSWER_PROMISE}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)

    def filter_reference(self, queryset: QuerySet[Application], name: str, value: str):
        value = value.strip().upper()
        # A case-sensitive prefix on the upper-cased text: Postgres answers it from the unique
        # index's pattern-ops twin, where an icontains would scan a million rows.
        return queryset.filter(reference__startswith=value) if value else queryset


class MyApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=ApplicationStatus.choices,
        help_text=_("Repeat the parameter for several statuses: ?status=approved&status=waitlisted."),
    )

    class Meta:
        model = Application
        fields: list[str] = []
