"""The catalog filters, shared by the catalog page and the programs API so both answer alike."""

from __future__ import annotations

import django_filters
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import District

from .models import BenefitType, Category, Program, ProgramStatus
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


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.select_related("city"),
        to_field_name="code",
        method="filter_district",
        empty_label=_("All districts"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Area"), choices=Category.choices, empty_label=_("All areas")
    )
    life_stage = django_filters.ChoiceFilter(
        label=_("Life stage"), choices=LIFE_STAGES, method="filter_life_stage", empty_label=_("Any age")
    )
    women = django_filters.BooleanFilter(label=_("For women"), field_name="for_women")
    benefit_type = django_filters.ChoiceFilter(
        label=_("Benefit type"), choices=BenefitType.choices, empty_label=_("Any benefit")
    )
    open_now = django_filters.BooleanFilter(label=_("Open for applications now"), method="filter_open_now")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Program
        fields: list[str] = []

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
