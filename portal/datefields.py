"""Form and filter fields for dates read from people: Django's, held to the portal's supported range
(portal.timeutils.EARLIEST_DATE … LATEST_DATE). Every form and filterset uses these instead of
``forms.DateField`` / ``django_filters.DateFilter``, so a day at the calendar's edge (9999-12-31,
0001-01-01) is a field error with a clear message, never an OverflowError further on; the form keeps
everything else the person typed. tests/portal/test_hostile_input.py checks that no app reads a date
with Django's bare fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from .timeutils import EARLIEST_DATE, LATEST_DATE


class SupportedDateField(forms.DateField):
    """``forms.DateField`` refusing days outside the supported range. A form may narrow it further
    (``earliest=``/``latest=``, e.g. a dashboard that has no figures before 2000) and say so in its own
    words (``error_messages={"date_out_of_range": …}``); it can never widen it."""

    default_error_messages = {
        "date_out_of_range": gettext_lazy("Enter a date between %(earliest)s and %(latest)s."),
    }

    def __init__(self, *, earliest: date | None = None, latest: date | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.earliest = max(earliest or EARLIEST_DATE, EARLIEST_DATE)
        self.latest = min(latest or LATEST_DATE, LATEST_DATE)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not self.earliest <= value <= self.latest:
            raise ValidationError(
                self.error_messages["date_out_of_range"],
                code="date_out_of_range",
                params={"earliest": self.earliest.isoformat(), "latest": self.latest.isoformat()},
            )


class SupportedDateFilter(django_filters.DateFilter):
    """``django_filters.DateFilter`` with the portal's ``SupportedDateField``."""

    field_class = SupportedDateField
