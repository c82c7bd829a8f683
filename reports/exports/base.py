"""The exporter base class: a data set as columns over a district-scoped queryset, and a row generator.

An exporter names its columns (a values_list path or an expression, a translated header, how to
format the value, and for personal data how to mask it), says which scoping helper decides what the
user may see, and which fields the filters (period, program, status, 행정동) apply to. `rows()` reads
`values_list(...).iterator(chunk_size=...)`: a server-side cursor on PostgreSQL, plain tuples, no model
instances and no query per row (everything a row needs is joined or aggregated in the one query), so
an export of a million rows runs in flat memory.

Masking (PIPA): personal columns (name, phone, birth date, street address) are masked unless the
export was asked for unmasked *and* the user holds `portal.export_personal_data`; the exporter refuses
to be built otherwise, so nothing is ever unmasked silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.masking import mask_name, mask_phone
from portal.models import User
from portal.timeutils import local_midnight, local_zone, to_local

PERSONAL_PERMISSION = "portal.export_personal_data"
# Exports up to this many rows download at once; larger ones run as a background job.
EXPORT_DIRECT_MAX_ROWS = 50_000
# How long a finished job's file stays downloadable (settings: RETENTION_EXPORTS_DAYS, the retention
# table's "exports" class).
EXPORT_RETENTION_DAYS = 7
# An XLSX sheet holds 1,048,576 rows, one of which is the header.
XLSX_MAX_ROWS = 1_048_575
CHUNK_SIZE = 2_000


def direct_max_rows() -> int:
    """EXPORT_DIRECT_MAX_ROWS from settings when set there (tests shrink it), else the default."""
    return int(getattr(settings, "EXPORT_DIRECT_MAX_ROWS", EXPORT_DIRECT_MAX_ROWS))


def retention_days() -> int:
    return int(getattr(settings, "RETENTION_EXPORTS_DAYS", EXPORT_RETENTION_DAYS))


class ExportRefused(PermissionDenied):
    """The user may not run this export (data set not theirs, or unmasked data without permission)."""


# --- masking and formatting ----------------------------------------------------------------------------
# Per-row work is what an export of a million rows spends its time on: these run once per cell, so they
# are plain functions with the common case first.


def mask_birth_date(value: date | str | None) -> str:
    """1994-05-12 → 1994-**-**: the year stays (age bands), the day that identifies goes."""
    if not value:
        return ""
    return f"{value[:4]}-**-**" if isinstance(value, str) else f"{value.year}-**-**"


def mask_address(value: str | None) -> str:
    """신림로 12길 34 101호 → 신림로 ***: the street stays, the house and flat go."""
    if not value:
        return ""
    first, _sep, rest = value.strip().partition(" ")
    return f"{first} ***" if rest else "***"


def _mask_phone(value: str) -> str:
    """portal.masking.mask_phone, with a shortcut for numbers stored as 010-1234-5678 / 010-123-4567
    (what the profile form saves), where it gives the same result without a pass over the digits."""
    if len(value) in (12, 13) and value[3] == "-" and value[-5] == "-" and value[:3].isdigit():
        return f"{value[:3]}-****-{value[-4:]}" if value[-4:].isdigit() else mask_phone(value)
    return mask_phone(value)


# A cell a spreadsheet would run as a formula (CSV/formula injection): shown as text instead.
_FORMULA_START = frozenset("=+-@\t\r")


def _text(value: Any) -> Any:
    if value and value[0] in _FORMULA_START:
        return "'" + value
    return value


def _datetime(value: datetime | str | None) -> str | None:
    # PostgreSQL formats it in SQL (already a string); elsewhere an aware UTC datetime, shown in Seoul
    # time to the minute. isoformat is the cheap way to format it.
    if value is None or value.__class__ is str:
        return value
    return to_local(value).isoformat(" ", "minutes")[:16]


def _date(value: date | str | None) -> str | None:
    if value is None or value.__class__ is str:
        return value
    return value.isoformat()


def _masked(mask: Callable[[Any], str]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if not value:
            return ""
        masked = mask(value)
        return "'" + masked if masked and masked[0] in _FORMULA_START else masked

    return convert


class _Labels(dict):
    """{value: label}; a value without a label (an old status, "") is written as it is."""

    def __missing__(self, value: Any) -> Any:
        return value


class SeoulText(models.Func):
    """A timestamp (or date) as text in Seoul time, written by PostgreSQL: reading text is several
    times cheaper for the driver than parsing timestamps, and no row needs Python to convert it.

    A cast to text (ISO output: bulk_reading sets DateStyle) cut to the minute is cheaper for the
    server than to_char().
    """

    output_field = models.CharField()

    def __init__(self, expression, *, date_only: bool = False):
        super().__init__(expression)
        self.date_only = date_only

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.date_only:
            return f"CAST({sql} AS text)", params
        return f"left(CAST(({sql} AT TIME ZONE %s) AS text), 16)", (*params, str(local_zone()))

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - only built for PostgreSQL
        raise NotImplementedError("SeoulText is PostgreSQL's; other databases format in Python")


TEXT = "text"  # free text someone typed: guarded against spreadsheet formulas
CODE = "code"  # a value the system or reference data wrote (reference numbers, district names): as is
DATETIME = "datetime"
DATE = "date"
CHOICE = "choice"
NUMBER = "number"

MASKS: dict[str, Callable[[Any], str]] = {
    "name": mask_name,
    "phone": _mask_phone,
    "birth_date": mask_birth_date,
    "address": mask_address,
}


def localized(path: str) -> Callable[[], str | models.Expression]:
    """A bilingual name column (`name` / `name_en`): the English one on an English export when filled
    in, else the Korean one, decided in SQL so no row needs Python to choose."""

    def build() -> str | models.Expression:
        if (get_language() or "ko").startswith("en"):
            return Coalesce(NullIf(F(f"{path}_en"), Value("")), F(path))
        return path

    return build


@dataclass(frozen=True)
class Column:
    """One column: where its value comes from, its header, how it is written, whether it is personal.

    `source` is a values_list path ("household__name") or a function returning a path or an expression
    (called when the export runs, under its language). `personal` names the mask used unless the export
    is unmasked ("name", "phone", "birth_date", "address").
    """

    source: str | Callable[[], str | models.Expression]
    label: str | Promise
    kind: str = TEXT
    choices: Any = None  # a Choices class, or a {value: label} mapping, for kind=CHOICE
    personal: str | None = None


def choice_labels(choices: Any) -> dict[Any, str]:
    pairs = choices.items() if isinstance(choices, dict) else choices.choices
    return {value: str(label) for value, label in pairs}


class Exporter:
    """A data set. Subclasses set the class attributes and `visible()`; the rest is shared."""

    name: ClassVar[str]  # the data set's code: "applications"; also the file name's stem
    label: ClassVar[str | Promise]
    permission: ClassVar[str]  # the model's view permission: who may export this data set at all
    columns: ClassVar[tuple[Column, ...]]
    statuses: ClassVar[Any] = None  # a Choices class the status filter offers
    status_field: ClassVar[str] = "status"
    period_field: ClassVar[str]  # the datetime the period filter applies to
    program_lookup: ClassVar[str | None] = None  # None: cannot be filtered by program
    neighbourhood_lookup: ClassVar[str | None] = None
    district_lookup: ClassVar[str] = "district_id"
    ordering: ClassVar[tuple[str, ...]] = ("pk",)
    chunk_size: ClassVar[int] = CHUNK_SIZE

    def __init__(self, user: User, filters: dict[str, Any] | None = None, *, include_personal: bool = False):
        if not self.allowed_for(user):
            raise ExportRefused(_("You do not have permission to export this data."))
        if include_personal and self.has_personal_columns() and not user.has_perm(PERSONAL_PERMISSION):
            raise ExportRefused(_("You do not have permission to export unmasked personal data."))
        self.user = user
        self.filters = dict(filters or {})
        # True when this export writes personal data unmasked (what the access log records).
        self.personal_data = bool(include_personal and self.has_personal_columns())

    # --- who and what ------------------------------------------------------------------------------

    @classmethod
    def allowed_for(cls, user: User) -> bool:
        return bool(
            user.is_authenticated and user.is_active and user.is_staff and user.has_perm(cls.permission)
        )

    @classmethod
    def has_personal_columns(cls) -> bool:
        return any(column.personal for column in cls.columns)

    @classmethod
    def supports_program(cls) -> bool:
        return cls.program_lookup is not None or cls.filter_program is not Exporter.filter_program

    def visible(self, user: User) -> QuerySet:
        """The rows the user may see: the model's `visible_to(user)`."""
        raise NotImplementedError

    # --- the queryset ------------------------------------------------------------------------------

    def queryset(self, user: User, filters: dict[str, Any]) -> QuerySet:
        """The user's visible rows narrowed by the (already validated) filters.

        Filters are JSON-safe: dates as ISO strings, ids as integers, so a background job replays
        exactly what the form accepted. Scoping comes first, so a filter naming another district's
        program or 행정동 can only ever narrow the user's own rows to nothing.
        """
        queryset = self.visible(user)
        start, end = filters.get("date_from"), filters.get("date_to")
        if start:
            queryset = queryset.filter(**{f"{self.period_field}__gte": local_midnight(start)})
        if end:
            queryset = queryset.filter(**{f"{self.period_field}__lt": local_midnight(end, days=1)})
        if filters.get("status"):
            queryset = self.filter_status(queryset, filters["status"])
        if filters.get("program"):
            queryset = self.filter_program(queryset, int(filters["program"]))
        if filters.get("neighbourhood") and self.neighbourhood_lookup:
            queryset = queryset.filter(**{self.neighbourhood_lookup: int(filters["neighbourhood"])})
        if filters.get("district"):
            queryset = queryset.filter(**{self.district_lookup: int(filters["district"])})
        return queryset

    def filter_status(self, queryset: QuerySet, status: str) -> QuerySet:
        return queryset.filter(**{self.status_field: status})

    def filter_program(self, queryset: QuerySet, program_id: int) -> QuerySet:
        if self.program_lookup is None:
            return queryset.none()
        return queryset.filter(Q(**{self.program_lookup: program_id}))

    def count(self, cap: int | None = None) -> int:
        """How many rows the export has; with `cap`, counts at most cap + 1 (a bounded query)."""
        queryset = self.queryset(self.user, self.filters).order_by()
        if cap is not None:
            return queryset[: cap + 1].count()
        return queryset.count()

    # --- rows --------------------------------------------------------------------------------------

    def headers(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    def _select(self) -> tuple[list[str], dict[str, models.Expression]]:
        names, expressions = [], {}
        in_sql = connection.vendor == "postgresql"  # dates formatted by the database
        for index, column in enumerate(self.columns):
            source = column.source() if callable(column.source) else column.source
            if in_sql and column.kind in (DATETIME, DATE):
                source = SeoulText(
                    F(source) if isinstance(source, str) else source, date_only=column.kind == DATE
                )
            if isinstance(source, str):
                names.append(source)
            else:
                alias = f"export_col_{index}"
                expressions[alias] = source
                names.append(alias)
        return names, expressions

    def _converters(self) -> list[tuple[int, Callable[[Any], Any]]]:
        converters = []
        in_sql = connection.vendor == "postgresql"
        for index, column in enumerate(self.columns):
            if column.personal and not self.personal_data:
                converters.append((index, _masked(MASKS[column.personal])))
            elif column.kind == DATETIME and not in_sql:
                converters.append((index, _datetime))
            elif column.kind == DATE and not in_sql:
                converters.append((index, _date))
            elif column.kind == CHOICE:
                converters.append((index, _Labels(choice_labels(column.choices)).__getitem__))
            elif column.kind == TEXT:
                converters.append((index, _text))
            # CODE, NUMBER and dates formatted in SQL: written as they come (None is an empty cell)
        return converters

    def rows(self) -> Iterator[list[Any]]:
        """The rows, one list per database row, in a stable order (by id).

        The query and the formatting (labels, localized names) are set up now, under the language
        active at the call; the rows are read when iterated, which for a streamed response is after the
        view has returned.
        """
        return self._generate(self.values_queryset(), self._converters())

    def values_queryset(self) -> QuerySet:
        """The one query of the export: the filtered, scoped rows as values_list tuples, by id."""
        names, expressions = self._select()
        queryset = self.queryset(self.user, self.filters)
        if expressions:
            queryset = queryset.annotate(**expressions)
        return queryset.order_by(*self.ordering).values_list(*names)

    def _generate(self, queryset: QuerySet, converters: list) -> Iterator[list[Any]]:
        for record in queryset.iterator(chunk_size=self.chunk_size):
            row = list(record)
            for index, convert in converters:
                row[index] = convert(row[index])
            yield row
