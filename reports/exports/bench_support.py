"""For the export benchmark (`make bench`): the real CSV export of applications into any binary file, and
the PostgreSQL COPY of the same query to compare it with.

    from reports.exports.bench_support import export_applications_csv, applications_copy_sql

    with open(os.devnull, "wb") as out:
        rows = export_applications_csv(out)              # every application, as a city admin sees them
    rows = export_applications_csv(out, limit=1_000_000) # or the first N by id

    with connection.cursor() as cursor:                   # PostgreSQL only: the baseline
        cursor.copy(applications_copy_sql(limit=1_000_000)) ... (psycopg 3: read the copy's blocks)

Both run the very query an export runs (same joins, same columns, same order); the export adds the
formatting (Seoul time, labels, masking) and the CSV writer. export_applications_csv() reads inside a
transaction, as a streamed download does, so PostgreSQL streams through a plain server-side cursor.
Peak memory is the process's (measure it around the call: resource.getrusage(...).ru_maxrss).
"""

from __future__ import annotations

from typing import IO, Any

from django.db import connection

from portal.models import User

from .exporters import ApplicationExporter
from .services import stream_rows
from .writers import write_csv


def bench_user() -> User:
    """An unsaved city administrator: sees every district (what the scoping helpers check)."""
    return User(email="bench@hana.invalid", role=User.Role.CITY_ADMIN, is_staff=True, is_superuser=True)


class _FirstRows(ApplicationExporter):
    limit: int | None = None

    def values_queryset(self):
        queryset = super().values_queryset()
        return queryset[: self.limit] if self.limit is not None else queryset


def _exporter(user: User | None, filters: dict[str, Any] | None, limit: int | None, include_personal: bool):
    exporter = _FirstRows(user or bench_user(), filters or {}, include_personal=include_personal)
    exporter.limit = limit
    return exporter


def export_applications_csv(
    out: IO[bytes],
    *,
    limit: int | None = None,
    user: User | None = None,
    filters: dict[str, Any] | None = None,
    include_personal: bool = False,
) -> int:
    """Write the applications CSV export (BOM, header, rows) to `out`; returns the number of rows."""
    exporter = _exporter(user, filters, limit, include_personal)
    return write_csv(out, exporter.headers(), stream_rows(exporter))


def applications_copy_sql(*, limit: int | None = None, user: User | None = None, filters=None) -> str:
    """`COPY (<the export's query>) TO STDOUT WITH CSV` with its parameters bound (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("COPY is PostgreSQL's: run the benchmark with DATABASE_URL set to Postgres")
    queryset = _exporter(user, filters, limit, False).values_queryset()
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return f"COPY ({connection.ops.compose_sql(sql, params)}) TO STDOUT WITH CSV"
