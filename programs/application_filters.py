"""Filters of the applications API: the staff review queue and the resident's own list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.scoping_legacy import programs_visible_to

from .models import UNDECIDED_STATUSES, Application, ApplicationStatus, Program

# Seo-gu's promise: every application gets an answer within 48 hours of submission.
ANSWER_PROMISE = timedelta(hours=48)
# Staff never see drafts: the resident has not sent them yet.
SUBMITTED_STATUSES = [(value, label) for value, label in ApplicationStatus.choices if value != "draft"]


def _programs(request: HttpRequest | None) -> QuerySet[Program]:
    # Only programs the staff member can see may be named: another district's id is "not a valid
    # choice", exactly like an id that does not exist.
    if request is None:
        return Program.objects.none()
    return programs_visible_to(request.user)


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in Korea (settings.TIME_ZONE, Asia/Seoul), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


class StaffApplicationFilter(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=_programs, help_text=_("A program id.")
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=SUBMITTED_STATUSES,
        help_text=_("Repeat the parameter for several statuses: ?status=submitted&status=under_review."),
    )
    submitted_after = django_filters.DateFilter(
        label=_("Submitted on or after"),
        method="filter_submitted_after",
        help_text=_("A date (YYYY-MM-DD), Korean time, inclusive."),
    )
    submitted_before = django_filters.DateFilter(
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
        return queryset.filter(submitted_at__gte=_start_of(value))

    def filter_submitted_before(self, queryset: QuerySet[Application], name: str, value: date):
        return queryset.filter(submitted_at__lt=_start_of(value + timedelta(days=1)))

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
