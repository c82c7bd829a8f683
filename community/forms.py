"""The web forms of community: the proposal (with up to eight budget lines), invitations, the
evaluator's declaration and score sheet, activity reports and project bookings.

Forms only parse; every rule is in community.services, whose refusals the views put back on the form
(ERROR_FIELDS) so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.identifiers import refuse_identifiers
from portal.timeutils import local_datetime

from .models import Call, Criterion
from .models.evaluation import MAX_POINTS

BUDGET_ROWS = 8
# Service refusal field → form field (None: shown at the top of the form).
ERROR_FIELDS = {"budget_lines": "item_1", "call": None, "reason": "reason", "scores": None}


class ProposalForm(forms.Form):
    group_name = forms.CharField(
        label=_("Group name"),
        max_length=100,
        validators=[refuse_identifiers],
        help_text=_("Shown publicly if the project is selected. Do not use a person's name."),
    )
    title = forms.CharField(label=_("Project title"), max_length=200, validators=[refuse_identifiers])
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, widget=forms.RadioSelect)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[refuse_identifiers],
    )
    plan = forms.CharField(
        label=_("Activity plan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[refuse_identifiers],
    )
    schedule = forms.CharField(
        label=_("Schedule"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_identifiers],
        help_text=_("For example: April–November, twice a month on Saturdays."),
    )
    space_hours_wanted = forms.IntegerField(
        label=_("Community space hours wanted"), min_value=0, max_value=1000, initial=0
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.name) for c in call.categories.all()]
        for row in range(1, BUDGET_ROWS + 1):
            self.fields[f"item_{row}"] = forms.CharField(
                label=_("Budget item %(n)d") % {"n": row},
                max_length=200,
                required=row == 1,
                validators=[refuse_identifiers],
            )
            self.fields[f"amount_{row}"] = forms.IntegerField(
                label=_("Amount %(n)d (won)") % {"n": row}, min_value=1, max_value=10**12, required=row == 1
            )

    def budget_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"item_{row}"], self[f"amount_{row}"]) for row in range(1, BUDGET_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for row in range(1, BUDGET_ROWS + 1):
            item, amount = data.get(f"item_{row}"), data.get(f"amount_{row}")
            if item and amount is None and f"amount_{row}" not in self.errors:
                self.add_error(f"amount_{row}", _("Enter the amount for this item."))
            if amount is not None and not item and f"item_{row}" not in self.errors:
                self.add_error(f"item_{row}", _("Name the item this amount is for."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        lines = [
            {"item": data[f"item_{row}"], "amount": data[f"amount_{row}"]}
            for row in range(1, BUDGET_ROWS + 1)
            if data.get(f"item_{row}") and data.get(f"amount_{row}") is not None
        ]
        return {
            "category_id": data["category"],
            "budget_lines": lines,
            "space_hours_wanted": data["space_hours_wanted"],
            **{name: data[name] for name in ("group_name", "title", "purpose", "plan", "schedule")},
        }

    @staticmethod
    def initial_from(proposal) -> dict[str, Any]:
        initial = {
            name: getattr(proposal, name)
            for name in ("group_name", "title", "purpose", "plan", "schedule", "space_hours_wanted")
        }
        initial["category"] = proposal.category_id
        for row, line in enumerate(proposal.budget_lines.all()[:BUDGET_ROWS], start=1):
            initial[f"item_{row}"], initial[f"amount_{row}"] = line.item, line.amount
        return initial


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Member's email address"),
        max_length=254,
        help_text=_("The address they use to sign in to Hana. They confirm on their own page."),
    )


class ConflictForm(forms.Form):
    conflicted = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this group?"),
        choices=[("no", _("No")), ("yes", _("Yes: I will not score it"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("For example: you are a member, a relative or a business partner of a member."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
    )


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_identifiers],
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} ({_('weight')} {criterion.weight})",
                min_value=0,
                max_value=MAX_POINTS,
                help_text=_("0 to 10 points"),
            )
        self.order_fields([f"criterion_{c.pk}" for c in criteria] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {str(c.pk): self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What the group did"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[refuse_identifiers],
    )
    spent = forms.IntegerField(label=_("Spent so far (won)"), min_value=0, max_value=10**12, initial=0)
    photos = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "JPG or PNG, up to 10 MB. Avoid photos in which people can be recognised without their consent."
        ),
    )
    receipts = forms.FileField(
        label=_("Receipt"), required=False, help_text=_("PDF, JPG or PNG, up to 10 MB.")
    )


class ProjectBookingForm(forms.Form):
    room = forms.TypedChoiceField(label=_("Room"), coerce=int)
    date = SupportedDateField(label=_("Date"), help_text=_("For example: 2026-05-09"))
    start = forms.TimeField(label=_("From"), help_text=_("For example: 10:00"))
    end = forms.TimeField(label=_("Until"), help_text=_("For example: 12:00"))
    headcount = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=500)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, validators=[refuse_identifiers])

    def __init__(self, *args: Any, rooms: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [(room.pk, f"{room.space.name} · {room.name}") for room in rooms]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date") and data.get("start") and data.get("end"):
            data["starts_at"] = local_datetime(data["date"], data["start"])
            data["ends_at"] = local_datetime(data["date"], data["end"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("The end must be after the start."))
        return data
