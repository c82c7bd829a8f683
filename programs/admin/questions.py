"""The questions a program's application form asks, edited on the program's admin page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import ProgramQuestion, QuestionKind


class ProgramQuestionForm(forms.ModelForm):
    choices = forms.JSONField(
        label=_("Choices"),
        required=False,
        help_text=_('For "choice" questions: a list such as ["오전", "오후"].'),
        widget=forms.TextInput(attrs={"size": 30}),
    )

    class Meta:
        model = ProgramQuestion
        fields = (
            "position",
            "kind",
            "label",
            "label_en",
            "help_text",
            "help_text_en",
            "required",
            "choices",
        )

    def clean(self):
        cleaned = super().clean()
        if "choices" in self.errors:  # not JSON: the field already says so
            return cleaned
        choices = cleaned.get("choices")
        if choices is None:
            choices = cleaned["choices"] = []
        if cleaned.get("kind") == QuestionKind.CHOICE:
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(choice, str) and choice.strip() for choice in choices)
            ):
                self.add_error("choices", _('List the choices as text, such as ["오전", "오후"].'))
            elif len(set(choices)) != len(choices):
                self.add_error("choices", _("Each choice must be different."))
        elif choices:
            self.add_error("choices", _('Only a "choice" question has choices: leave this empty.'))
        return cleaned


class ProgramQuestionInline(admin.TabularInline):
    """The questions a program's application form asks, defined by its manager."""

    model = ProgramQuestion
    form = ProgramQuestionForm
    extra = 0
    verbose_name_plural = _("Application form questions")
