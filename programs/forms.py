"""The resident's application form: one field per ProgramQuestion, built when the page is shown.

Each field reads what people type ("1,200", "2026.03.27", a radio button) and then hands the value to
the question kind's cleaner in programs.answers, the same one the API calls: one set of limits and
messages. Answers are stored as JSON on the application under each question's `field_name` ("q12").
Documents are not answers: they become ApplicationDocument rows through the document_attach service.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.i18n import localized

from . import answers
from .answers import ALLOWED_UPLOAD_TYPES, AnswerError, upload_problem
from .models import ApplicationDocument, ProgramQuestion, QuestionKind

K = QuestionKind
YES, NO = "yes", "no"
YES_NO_CHOICES = [(YES, _("Yes")), (NO, _("No"))]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d"]
ACCEPT = ",".join(sorted(ALLOWED_UPLOAD_TYPES))


class AnswerField(forms.Field):
    """A form field whose parsed value is then checked by the question kind's cleaner."""

    def answer(self, value: Any) -> Any:
        raise NotImplementedError

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            return self.answer(value)
        except AnswerError as error:
            raise forms.ValidationError(error.message, code="invalid") from error


class TextField(AnswerField, forms.CharField):
    def answer(self, value: str) -> str:
        return answers.clean_text(value)


class NumberField(AnswerField, forms.DecimalField):
    """A number as people type it: "1,200" and " 3 " are accepted."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)

    def answer(self, value: Decimal) -> int | float:
        return answers.clean_number(value)


class ChoiceField(AnswerField, forms.ChoiceField):
    def __init__(self, *, question_choices: list[str], **kwargs: Any) -> None:
        self.question_choices = question_choices
        super().__init__(choices=[(str(c), str(c)) for c in question_choices], **kwargs)

    def answer(self, value: str) -> str:
        return answers.clean_choice(value, self.question_choices)


class YesNoField(AnswerField, forms.ChoiceField):
    """Stored as "yes"/"no" (what the form has always stored); the API stores true/false."""

    def answer(self, value: str) -> str:
        return YES if answers.clean_yes_no({YES: True, NO: False}.get(value)) else NO


class DateField(AnswerField, SupportedDateField):
    def answer(self, value: date) -> str:
        return answers.clean_date(value)


class DocumentField(forms.FileField):
    """A document upload, checked by the same rule the service applies (type, size, first bytes)."""

    widget = forms.FileInput

    def validate(self, value) -> None:
        super().validate(value)
        if isinstance(value, UploadedFile):
            problem = upload_problem(value)
            if problem:
                raise forms.ValidationError(problem, code="invalid_file")


def question_field(question: ProgramQuestion) -> forms.Field:
    label = localized(question, "label")
    hint = localized(question, "help_text")
    common: dict[str, Any] = {"label": label, "help_text": hint, "required": question.required}
    kind = question.kind
    if kind == K.NUMBER:
        return NumberField(
            error_messages={"required": answers.NOT_A_NUMBER, "invalid": answers.NOT_A_NUMBER},
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **common,
        )
    if kind == K.CHOICE:
        return ChoiceField(
            question_choices=list(question.choices or []),
            widget=forms.RadioSelect,
            error_messages={"required": _("Select an answer."), "invalid_choice": answers.NOT_A_CHOICE},
            **common,
        )
    if kind == K.YES_NO:
        return YesNoField(
            choices=YES_NO_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": answers.NOT_YES_OR_NO, "invalid_choice": answers.NOT_YES_OR_NO},
            **common,
        )
    if kind == K.DATE:
        common["help_text"] = hint or _("For example, 2026-03-27.")
        return DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"required": _("Enter a date."), "invalid": answers.NOT_A_DATE},
            **common,
        )
    if kind == K.FILE:
        rule = _("PDF, JPG, PNG or HWP, up to 10 MB.")
        common["help_text"] = f"{hint} {rule}" if hint else rule
        return DocumentField(
            max_length=200,
            allow_empty_file=False,
            error_messages={"required": _("Upload this document.")},
            widget=forms.FileInput(attrs={"accept": ACCEPT}),
            **common,
        )
    return TextField(
        error_messages={"required": _("Answer this question.")},
        # The browser stops at the limit too; the cleaner is what enforces it.
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": answers.MAX_TEXT_LENGTH}),
        **common,
    )


def answer_to_json(question: ProgramQuestion, value: Any) -> Any:
    """A cleaned value as it is stored in Application.answers; None for "no answer"."""
    if value in (None, ""):
        return None
    return value


class ApplicationAnswersForm(forms.Form):
    """The answers to a program's questions.

    `initial` holds the stored answers and, for file questions, the document already uploaded: a file
    question that has one needs no new upload. With `drafting=True` ("save as draft and leave"),
    nothing is required: whatever is valid is kept, and only malformed answers are reported.
    """

    def __init__(
        self,
        *args: Any,
        questions: list[ProgramQuestion],
        answers: dict[str, Any] | None = None,
        documents: dict[int, ApplicationDocument] | None = None,
        drafting: bool = False,
        **kwargs: Any,
    ) -> None:
        self.questions = questions
        self.drafting = drafting
        initial = {q.field_name: (answers or {}).get(q.field_name) for q in questions if q.kind != K.FILE}
        for question in questions:
            if question.kind == K.FILE and documents and question.pk in documents:
                initial[question.field_name] = documents[question.pk]
        super().__init__(*args, initial=initial, **kwargs)
        for question in questions:
            self.fields[question.field_name] = question_field(question)

    def full_clean(self) -> None:
        if not self.drafting:
            return super().full_clean()
        # Required-ness is lifted only while cleaning, so the page still marks optional questions.
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for name, field in self.fields.items():
                field.required = required[name]

    def merged_answers(self, previous: dict[str, Any]) -> dict[str, Any]:
        """`previous` updated with every valid answer of this form; a malformed one keeps its old value."""
        names = {q.field_name for q in self.questions if q.kind != K.FILE}
        answers = {name: value for name, value in previous.items() if name in names}
        cleaned = getattr(self, "cleaned_data", {})
        for question in self.questions:
            name = question.field_name
            if question.kind == K.FILE or name not in cleaned:
                continue
            value = answer_to_json(question, cleaned[name])
            if value is None:
                answers.pop(name, None)
            else:
                answers[name] = value
        return answers

    def uploads(self) -> list[tuple[ProgramQuestion, UploadedFile]]:
        """The valid new files of this submission, with their questions."""
        cleaned = getattr(self, "cleaned_data", {})
        return [
            (q, cleaned[q.field_name])
            for q in self.questions
            if q.kind == K.FILE and isinstance(cleaned.get(q.field_name), UploadedFile)
        ]


def answer_display(question: ProgramQuestion, value: Any) -> str:
    """A stored answer as the resident reads it on the check and application pages."""
    if value in (None, "", []):
        return ""
    if question.kind == K.YES_NO:
        if isinstance(value, bool):  # answered through the API
            value = YES if value else NO
        return str(dict(YES_NO_CHOICES).get(value, value))
    if question.kind == K.DATE:
        try:
            # A stored answer, cleaned (and range checked) when it was given.
            return date.fromisoformat(str(value)).strftime("%Y.%m.%d")  # range: checked
        except ValueError:
            return str(value)
    if question.kind == K.NUMBER and isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def field_anchor(question: ProgramQuestion) -> str:
    """The id a "Change" link lands on: the input, or a radio group's first option."""
    if question.kind in (K.CHOICE, K.YES_NO):
        return f"id_{question.field_name}_0"
    return f"id_{question.field_name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several documents in one file input, each checked by the service's rule; valid ones are kept."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(DocumentsField, self).clean(upload, initial) for upload in files if upload]


class InformationReplyForm(ApplicationAnswersForm):
    """The reply to a request for more information: a text, documents that answer no particular
    question, and the program's questions (their answers may be changed). Whether the reply says
    anything at all is the service's to judge (application_provide_info): a document uploaded for a
    question, or a changed answer, is a reply too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # First on the page: the answer to the caseworker's question.
        self.fields = {
            "reply": forms.CharField(
                label=_("Your reply"),
                help_text=_(
                    "Answer the district's question. Do not write your resident registration number."
                ),
                required=False,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 5, "maxlength": answers.MAX_TEXT_LENGTH}),
            ),
            "files": DocumentsField(
                label=_("Documents"),
                help_text=_("You may choose several files. PDF, JPG, PNG or HWP, up to 10 MB each."),
                required=False,
                allow_empty_file=False,
                max_length=200,
            ),
            **self.fields,
        }

    def clean_reply(self) -> str:
        reply = self.cleaned_data.get("reply", "")
        try:
            return answers.clean_text(reply)
        except AnswerError as error:
            raise forms.ValidationError(error.message, code="invalid") from error

    good_files: list[UploadedFile] = []

    def reply_files(self) -> list[UploadedFile]:
        """The documents of this reply that passed the file checks (the refused ones are in errors)."""
        return self.good_files

    def clean_files(self) -> list[UploadedFile]:
        # One bad file must not cost the others: each is checked on its own, the good ones are kept
        # (the view stores them even when something else on the page is refused), the bad ones named.
        good, bad = [], []
        for upload in self.cleaned_data.get("files") or []:
            problem = upload_problem(upload)
            if problem:
                bad.append(f"{upload.name}: {problem}")
            else:
                good.append(upload)
        self.good_files = good
        if bad:
            raise forms.ValidationError(bad, code="invalid_file")
        return good
