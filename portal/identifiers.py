"""The one guard against personal identifiers in free text: every app's typed text goes through it.

Hana never needs a resident registration number (주민등록번호) or a foreigner registration number
(외국인등록번호), and PIPA makes holding one without a legal basis an offence, so one typed by mistake
into an answer, a purpose, a note, a reason, a message or a file name is refused with a message that
says why (`refuse_identifiers`, a validator for model fields, forms and serializers alike), and one
that slipped into rows written before this guard existed is masked (`mask_identifiers`, applied by each
app's data migration through `mask_rows`).

Both numbers are YYMMDD-GNNNNNN: the date of birth, then a digit giving sex and century (1–4 for
citizens, 5–8 for foreigners), then six more. The date part is checked for a real calendar day in the
century the digit names (and must not be in the future), so ordinary 13-digit runs (a phone number next
to a count, a product barcode) are not refused: only a number that could be someone's identifier is.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from portal.timeutils import local_today

logger = logging.getLogger(__name__)

# Six digits, an optional separator (a hyphen or dash, with or without spaces around it, or a space
# alone), the sex/century digit and six more; never part of a longer run of digits.
IDENTIFIER_PATTERN = re.compile(
    r"(?<!\d)(?P<birth>\d{6})(?P<sep>[ \t]*[-‐‑‒–—―−][ \t]*|[ \t]+)?(?P<serial>[1-8]\d{6})(?!\d)"
)

# What a database regex (PostgreSQL's and SQLite's alike) can look for first.
SIX_DIGITS = r"[0-9]{6}"

# 1, 2 and 5, 6: born in the 1900s; 3, 4 and 7, 8: in the 2000s (citizens 1–4, foreigners 5–8).
_CENTURY = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "5": 1900, "6": 1900, "7": 2000, "8": 2000}

IDENTIFIER_MESSAGE = _(
    "Remove the resident or foreigner registration number (주민등록번호 or 외국인등록번호): "
    "Hana never needs it and must not keep it. The rest of what you wrote is kept."
)

FILE_NAME_MESSAGE = _(
    "The file's name holds a resident or foreigner registration number (주민등록번호 or 외국인등록번호): "
    "rename the file and upload it again. Hana never needs the number."
)


def _is_identifier(match: re.Match[str]) -> bool:
    birth, serial = match.group("birth"), match.group("serial")
    try:
        born = date(_CENTURY[serial[0]] + int(birth[:2]), int(birth[2:4]), int(birth[4:6]))
    except ValueError:  # not a calendar day: 13 digits, but nobody's birth date
        return False
    # Nobody is born in the future: a Korean product barcode (880…, e.g. 8801234567890) reads as 2088.
    return born <= local_today()


def find_identifiers(text: str) -> list[str]:
    """The registration numbers in `text`, as typed."""
    return [m.group(0) for m in IDENTIFIER_PATTERN.finditer(text) if _is_identifier(m)]


def contains_identifier(text: Any) -> bool:
    return isinstance(text, str) and any(_is_identifier(m) for m in IDENTIFIER_PATTERN.finditer(text))


def refuse_identifiers(value: Any) -> None:
    """Validator: refuse text holding a resident or foreigner registration number, saying why."""
    if contains_identifier(value):
        raise ValidationError(IDENTIFIER_MESSAGE, code="personal_identifier")


def _mask(match: re.Match[str]) -> str:
    if not _is_identifier(match):
        return match.group(0)
    serial = match.group("serial")
    # The first seven digits (birth date and sex/century) stay, as on a masked ID card: the rest is *.
    return f"{match.group('birth')}{match.group('sep') or ''}{serial[0]}{'*' * (len(serial) - 1)}"


def mask_identifiers(text: str) -> str:
    """900101-1234567 → 900101-1******, in any text; everything else is left as it was."""
    if not text:
        return text
    return IDENTIFIER_PATTERN.sub(_mask, text)


def replace_identifiers(text: str, replacement: str) -> str:
    """Each registration number in `text` replaced whole by `replacement` (error reports: [redacted])."""
    return IDENTIFIER_PATTERN.sub(lambda m: replacement if _is_identifier(m) else m.group(0), text)


def mask_value(value: Any) -> Any:
    """mask_identifiers over every string inside a JSON-like value (answers are a dict of them)."""
    if isinstance(value, str):
        return mask_identifiers(value)
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    return value


def mask_rows(model: Any, fields: Iterable[str]) -> int:
    """Mask the identifiers in `fields` of every row of `model`; the number of rows changed.

    For data migrations (pass the historical model from `apps.get_model`): text and JSON fields alike.
    Rows are read in batches and only the changed ones are written, each with an UPDATE of its own
    fields (no save(): no signals, no auto_now, no history row for a correction).
    """
    fields = list(fields)
    # Only rows with six digits in a row somewhere can hold one: the database finds those (text and
    # JSON alike, cast to text), so a large table is not read whole into Python.
    candidates = Q()
    for field in fields:
        candidates |= Q(**{f"_identifier_{field}__regex": SIX_DIGITS})
    rows = (
        model._base_manager.annotate(**{f"_identifier_{f}": Cast(f, TextField()) for f in fields})
        .filter(candidates)
        .only("pk", *fields)
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    changed = 0
    for row in rows:
        updates = {}
        for field in fields:
            value = getattr(row, field)
            masked = mask_value(value)
            if masked != value:
                updates[field] = masked
        if updates:
            model._base_manager.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


def mask_tables(apps: Any, app_label: str, tables: dict[str, Iterable[str]]) -> int:
    """A data migration's whole work: mask `tables` (model name → fields) of `app_label`, say how many.

    Each app's migration masks its own tables only (the layers hold for migrations too). The count is
    printed with the migration's progress and logged, so whoever runs `migrate` learns how many rows held
    a registration number.
    """
    counts = {name: mask_rows(apps.get_model(app_label, name), fields) for name, fields in tables.items()}
    total = sum(counts.values())
    detail = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
    line = f"{app_label}: registration numbers masked in {total} row(s)"
    if detail:
        line += f" ({detail})"
    if total:  # worth a line in the logs: personal data was held where it should not have been
        logger.warning(line)
    # migrate's own output, for the operator; after its "Applying …" without a line break.
    print(f"\n    {line}", end="")  # noqa: T201
    return total
