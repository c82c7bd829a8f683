"""Resident forms of the safety app. They check shape only; every rule is the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.identifiers import refuse_identifiers

from .models import KitOffer, Slot
from .services import MAX_WINDOWS

# Which form field shows a service refusal of this code (the rest go to the top of the form).
ERROR_FIELDS = {
    "items_required": "items",
    "invalid_item": "items",
    "too_many_items": "items",
    "windows_required": "date_1",
    "too_many_windows": "date_1",
    "invalid_window": "date_1",
    "window_in_past": "date_1",
    "window_too_far": "date_1",
}


class KitRequestForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Which items would you like installed?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one item.")},
    )

    def __init__(self, *args, offer: KitOffer, items: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offer = offer
        field = self.fields["items"]
        field.choices = [(str(item.pk), f"{item.icon} {item}".strip()) for item in items]
        field.help_text = _("Choose up to %(max)d.") % {"max": offer.max_items}
        for index in range(1, MAX_WINDOWS + 1):
            first = index == 1
            self.fields[f"date_{index}"] = SupportedDateField(
                label=_("Preferred date %(n)d") % {"n": index},
                required=first,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("From tomorrow on, e.g. 2026-03-02.") if first else "",
                error_messages={
                    "required": _("Enter at least one preferred visit date."),
                    "invalid": _("Enter a real date, e.g. 2026-03-02."),
                },
            )
            self.fields[f"slot_{index}"] = forms.ChoiceField(
                label=_("Time of day for date %(n)d") % {"n": index},
                required=False,
                choices=Slot.choices,
                widget=forms.RadioSelect,
            )

    def clean_items(self) -> list[int]:
        chosen = [int(pk) for pk in self.cleaned_data["items"]]
        if len(chosen) > self.offer.max_items:
            raise forms.ValidationError(
                _("Choose at most %(max)d items.") % {"max": self.offer.max_items}, code="too_many_items"
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for index in range(1, MAX_WINDOWS + 1):
            if cleaned.get(f"date_{index}") and not cleaned.get(f"slot_{index}"):
                self.add_error(f"slot_{index}", _("Choose morning, afternoon or evening."))
        return cleaned

    @property
    def windows(self) -> list[dict[str, Any]]:
        return [
            {"date": self.cleaned_data[f"date_{index}"], "slot": self.cleaned_data[f"slot_{index}"]}
            for index in range(1, MAX_WINDOWS + 1)
            if self.cleaned_data.get(f"date_{index}")
        ]

    def window_rows(self) -> list[tuple]:
        return [(self[f"date_{index}"], self[f"slot_{index}"]) for index in range(1, MAX_WINDOWS + 1)]


class RescheduleForm(forms.Form):
    note = forms.CharField(
        label=_("Which days and times suit you better?"),
        max_length=1000,
        validators=[refuse_identifiers],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say which days and times suit you better.")},
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the installation?"),
        coerce=int,
        choices=[
            (5, _("5 – Very satisfied")),
            (4, _("4 – Satisfied")),
            (3, _("3 – Neither")),
            (2, _("2 – Dissatisfied")),
            (1, _("1 – Very dissatisfied")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us?"),
        required=False,
        max_length=1000,
        validators=[refuse_identifiers],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
