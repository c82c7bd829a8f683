"""Writing an exporter's rows: CSV (UTF-8 with a BOM so Excel reads Korean correctly) streamed as it is
produced, and XLSX through openpyxl's write-only mode (rows go to disk as they come, memory stays flat).

CSV uses the csv module with an "echo" buffer: `writer.writerow()` returns the formatted line instead
of writing it, so each row is formatted as it is read and handed on. Lines are sent in small batches
(a few hundred rows, some tens of kilobytes) rather than one network write per row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

BOM = "\ufeff"
CSV_BATCH_ROWS = 500
PROGRESS_EVERY = 5_000

Progress = Callable[[int], None]


class Echo:
    """A file-like object whose write() returns what it is given: csv.writer then returns each line."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    headers: list[str], rows: Iterable[list[Any]], *, progress: Progress | None = None
) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks: the BOM and header line first, then the rows in batches.

    `progress`, when given, is called with the number of rows written so far after every batch of
    roughly PROGRESS_EVERY rows and once at the end with the total (unless just reported).
    """
    writer = csv.writer(Echo())
    writerow = writer.writerow
    yield (BOM + writerow(headers)).encode("utf-8")
    buffer: list[str] = []
    append = buffer.append
    done = reported = 0
    for row in rows:
        append(writerow(row))
        if len(buffer) >= CSV_BATCH_ROWS:
            done += len(buffer)
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
            if progress is not None and done - reported >= PROGRESS_EVERY:
                progress(done)
                reported = done
    if buffer:
        done += len(buffer)
        yield "".join(buffer).encode("utf-8")
    if progress is not None and (done != reported or not done):
        progress(done)


def write_csv(
    out: IO[bytes], headers: list[str], rows: Iterable[list[Any]], *, progress: Progress | None = None
) -> int:
    """Write the CSV to a binary file; returns the number of data rows."""
    total = 0

    def count(done: int) -> None:
        nonlocal total
        total = done
        if progress is not None:
            progress(done)

    for chunk in csv_chunks(headers, rows, progress=count):
        out.write(chunk)
    return total


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _cell(value: Any) -> Any:
    # Control characters are not allowed in an XLSX file (openpyxl refuses them): dropped.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(
    out: IO[bytes] | str,
    headers: list[str],
    rows: Iterable[list[Any]],
    *,
    title: str = "export",
    progress: Progress | None = None,
) -> int:
    """Write an XLSX workbook (one sheet) in openpyxl's write-only mode; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31] or "export")
    sheet.append(headers)
    done = 0
    for row in rows:
        sheet.append([_cell(value) for value in row])
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    workbook.save(out)
    if progress is not None:
        progress(done)
    return done


def write_export(exporter, fmt: str, out: IO[bytes], *, progress: Progress | None = None) -> int:
    """Write `exporter`'s export in `fmt` ("csv" or "xlsx") to a binary file; returns the row count."""
    headers, rows = exporter.headers(), exporter.rows()
    if fmt == "csv":
        return write_csv(out, headers, rows, progress=progress)
    if fmt == "xlsx":
        return write_xlsx(out, headers, rows, title=str(exporter.label), progress=progress)
    raise ValueError(f"unknown export format {fmt!r}")
