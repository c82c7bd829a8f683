"""The dashboard's period (and, for a city admin, district) form: read from the query string."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField

ALL_DISTRICTS = "all"
MAX_YEARS = 2
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """`district` (a code, or "all"), `from` and `to` (YYYY-MM-DD, both included).

    `from` is a Python keyword, so the date fields are added in __init__ under their query-string names.
    """

    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, districts: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = districts
        messages = {
            "invalid": _("Enter a real date in the form YYYY-MM-DD, for example 2026-03-01."),
            # The figures start in 2000: narrower than the portal's supported range.
            "date_out_of_range": _("Enter a date between 2000 and 2100."),
        }
        self.fields["from"] = SupportedDateField(
            earliest=EARLIEST,
            latest=LATEST,
            label=_("From"),
            widget=DateInput(),
            input_formats=["%Y-%m-%d"],
            error_messages={**messages, "required": _("Enter the first day of the period.")},
        )
        self.fields["to"] = SupportedDateField(
            earliest=EARLIEST,
            latest=LATEST,
            label=_("To"),
            widget=DateInput(),
            input_formats=["%Y-%m-%d"],
            help_text=_("Both days are included. At most two years."),
            error_messages={**messages, "required": _("Enter the last day of the period.")},
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                self.add_error("to", _("The last day must be the same as or after the first day."))
            elif end >= years_after(start, MAX_YEARS):
                self.add_error("to", _("Choose a period of at most two years."))
        return data
