"""Resident forms of care: booking (a free slot and a short intake), moving, pausing check-ins."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.identifiers import refuse_identifiers
from portal.timeutils import to_local

from .models import AppointmentMode
from .models.counselling import PreferredContact, Urgency
from .services.slots import Slot


def slot_value(slot: Slot, mode: str) -> str:
    return f"{slot.counsellor_id}|{slot.starts_at.isoformat()}|{mode}"


def slot_choices(slots: list[Slot]) -> list[tuple[str, str]]:
    labels = dict(AppointmentMode.choices)
    return [
        (
            slot_value(slot, mode),
            f"{to_local(slot.starts_at):%m/%d (%a) %H:%M} · {slot.counsellor} · {labels[mode]}",
        )
        for slot in slots
        for mode in slot.modes
    ]


class SlotField(forms.ChoiceField):
    def parse(self, value: str) -> tuple[int, datetime, str]:
        counsellor, start, mode = value.split("|")
        return int(counsellor), datetime.fromisoformat(start), mode


class BookForm(forms.Form):
    slot = SlotField(label=_("Time"), widget=forms.RadioSelect)
    topic = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=200,
        help_text=_("A few words are enough, e.g. trouble sleeping, a rental contract."),
        validators=[refuse_identifiers],
    )
    intake = forms.CharField(
        label=_("Anything the counsellor should know beforehand"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[refuse_identifiers],
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    preferred_contact = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=PreferredContact.choices,
        initial=PreferredContact.PHONE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, slots: list[Slot], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slot_choices(slots)


class MoveForm(forms.Form):
    slot = SlotField(label=_("New time"), widget=forms.RadioSelect)

    def __init__(self, *args, slots: list[Slot], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slot_choices(slots)


class PauseForm(forms.Form):
    starts_on = SupportedDateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = SupportedDateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
