"""Resident forms of the inquiries app. They check shape only; every rule is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers

from .models import SubjectKind, Topic
from .selectors import ContextRow

# The topic an inquiry about a record of this kind most likely has (preselected, the resident may change it).
TOPIC_OF_KIND = {
    SubjectKind.APPLICATION: Topic.PROGRAMS,
    SubjectKind.BOOKING: Topic.SPACES,
    SubjectKind.KIT_REQUEST: Topic.SAFETY,
    SubjectKind.PARCEL: Topic.PARCELS,
}

# Which form field shows a service refusal of this code (the rest go to the top of the form).
ERROR_FIELDS = {
    "title_required": "title",
    "title_too_long": "title",
    "title_identifier": "title",
    "body_required": "body",
    "body_too_long": "body",
    "body_identifier": "body",
    "invalid_subject": "subject",
    "invalid_topic": "topic",
    "invalid_rating": "rating",
    "comment_identifier": "comment",
    "comment_too_long": "comment",
}


class InquiryForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, initial=Topic.GENERAL)
    subject = forms.ChoiceField(
        label=_("About one of your requests"),
        required=False,
        help_text=_("Choose it if your question is about an application, booking, kit request or parcel."),
    )
    title = forms.CharField(
        label=_("Subject"),
        max_length=120,
        validators=[refuse_identifiers],
        error_messages={"required": _("Give your inquiry a short subject.")},
    )
    body = forms.CharField(
        label=_("Your question or problem"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[refuse_identifiers],
        help_text=_("Do not write your resident registration number."),
        error_messages={"required": _("Write your message.")},
    )

    def __init__(
        self, *args, context_rows: list[ContextRow], about: ContextRow | None = None, **kwargs
    ) -> None:
        """`context_rows`: the resident's records under way; `about`: the resident's own record named by the
        page the resident came from ("Ask about this"), offered even if no longer under way and, on a fresh
        form, preselected with its topic. The view resolves it (selectors.subject_from_param), so a record
        that is not the resident's never reaches this form."""
        super().__init__(*args, **kwargs)
        if about is not None and all((row.kind, row.pk) != (about.kind, about.pk) for row in context_rows):
            context_rows = [about, *context_rows]
        self.fields["subject"].choices = [("", _("Not about one of them"))] + [
            (f"{row.kind}:{row.pk}", f"{row.label} ({row.status})") for row in context_rows
        ]
        if about is not None and not self.is_bound:
            self.initial["subject"] = f"{about.kind}:{about.pk}"
            self.initial["topic"] = TOPIC_OF_KIND.get(about.kind, Topic.GENERAL)

    def subject_parts(self) -> tuple[str, int | None]:
        raw = self.cleaned_data.get("subject") or ""
        kind, _sep, pk = raw.partition(":")
        return (kind, int(pk)) if pk.isdigit() else ("", None)


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label=_("Add to your inquiry"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[refuse_identifiers],
        error_messages={"required": _("Write your message.")},
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How helpful was the answer?"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5 is very helpful, 1 not helpful at all."),
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_identifiers],
    )
