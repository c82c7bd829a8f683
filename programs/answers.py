"""One rule per kind of question, whichever way the answer arrives: the web form and the API both call
these cleaners, so they accept and refuse the same values with the same messages.

Each cleaner takes a value already in Python terms and returns what Application.answers stores, or
raises ``AnswerError`` with the message for the resident. Turning typed text into those terms stays with
each channel: the web form reads "1,200" as a number and "2026.03.27" as a date, the API takes JSON
numbers, ISO dates and true/false. Stored values: text and choices as strings, numbers as JSON numbers,
dates as ISO strings; yes/no as true/false from the API and "yes"/"no" from the web form (both are read
back by every page). Documents are not answers: they are uploaded files, checked by ``upload_problem``.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import DecimalValidator
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.identifiers import FILE_NAME_MESSAGE, IDENTIFIER_MESSAGE, contains_identifier
from portal.timeutils import is_supported, unsupported_date_message

from .models import ProgramQuestion, QuestionKind

# The one set of limits. Text: what a reviewer reads in one sitting (the API's long-standing limit).
MAX_TEXT_LENGTH = 2000
# Numbers (the web form's long-standing limit): 15 digits, at most 2 of them after the decimal point,
# so up to 13 before it — amounts in won to the trillion, counts, years.
MAX_DIGITS = 15
DECIMAL_PLACES = 2

ALLOWED_UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".hwp": "application/x-hwp",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The first bytes each type must start with: a renamed file is refused, whatever its extension says.
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".hwp": (b"\xd0\xcf\x11\xe0", b"PK\x03\x04"),  # HWP 5 (OLE) or HWPX (zip)
}

# The messages, shared with the web form's own parsing errors (a field left out, a date not typed well).
NOT_A_NUMBER = gettext_lazy("Enter a number.")
NOT_A_DATE = gettext_lazy("Enter a real date, for example 2026-03-27.")
NOT_A_CHOICE = gettext_lazy("Select one of the options.")
NOT_YES_OR_NO = gettext_lazy("Select yes or no.")


class AnswerError(ValueError):
    """An answer its question cannot take; `message` is for the resident."""

    def __init__(self, message: Any) -> None:
        self.message = str(message)
        super().__init__(self.message)


def clean_text(value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError(_("Enter text."))
    value = value.strip()
    if len(value) > MAX_TEXT_LENGTH:
        raise AnswerError(_("Keep the answer under %(max)s characters.") % {"max": MAX_TEXT_LENGTH})
    if contains_identifier(value):  # the core's one guard: never a registration number in an answer
        raise AnswerError(IDENTIFIER_MESSAGE)
    return value


def clean_number(value: Any) -> int | float:
    # bool is an int in Python, but `true` is not a number to anyone filling in a form.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise AnswerError(NOT_A_NUMBER)
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerError(NOT_A_NUMBER)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:
        raise AnswerError(NOT_A_NUMBER) from exc
    if not number.is_finite():
        raise AnswerError(NOT_A_NUMBER)
    try:
        DecimalValidator(MAX_DIGITS, DECIMAL_PLACES)(number)
    except ValidationError as exc:
        raise AnswerError(exc.messages[0]) from exc
    return int(number) if number == number.to_integral_value() else float(number)


def clean_date(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        day = parse_date(value) if isinstance(value, str) else None  # range: checked below
    except ValueError:  # well formed but impossible, e.g. 2026-02-30
        day = None
    if day is None:
        raise AnswerError(NOT_A_DATE)
    if not is_supported(day):
        raise AnswerError(unsupported_date_message())
    return day.isoformat()


def clean_choice(value: Any, choices: list[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise AnswerError(NOT_A_CHOICE)
    return value


def clean_yes_no(value: Any) -> bool:
    if not isinstance(value, bool):
        raise AnswerError(NOT_YES_OR_NO)
    return value


def upload_problem(upload: UploadedFile) -> str | None:
    """Why a file cannot be accepted, or None. Checks the extension, the size and the first bytes."""
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in ALLOWED_UPLOAD_TYPES:
        return _("Upload a PDF, JPG, PNG or HWP file.")
    if contains_identifier(name):  # the name is kept and shown to staff: no registration number in it
        return str(FILE_NAME_MESSAGE)
    if upload.size is None or upload.size == 0:
        return _("The file is empty.")
    if upload.size > MAX_UPLOAD_BYTES:
        return _("The file is larger than 10 MB.")
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[suffix]):
        return _("The file's content does not match its type.")
    return None


def clean_answer(question: ProgramQuestion, value: Any) -> Any:
    """The stored form of one (non-empty) answer to `question`, or AnswerError."""
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return clean_text(value)
    if kind == QuestionKind.NUMBER:
        return clean_number(value)
    if kind == QuestionKind.DATE:
        return clean_date(value)
    if kind == QuestionKind.CHOICE:
        return clean_choice(value, question.choices or [])
    if kind == QuestionKind.YES_NO:
        return clean_yes_no(value)
    raise AnswerError(_("This question takes a document: upload it to the application's documents/."))
