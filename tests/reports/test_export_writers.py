"""The CSV writer (UTF-8 with a BOM, parsed back with csv) and the XLSX writer (openpyxl write-only mode,
read back with openpyxl): the same rows as the exporter gives."""

from __future__ import annotations

import csv
import io
from unittest import mock

import openpyxl
import pytest

from reports.exports import writers
from reports.exports.exporters import ApplicationExporter
from reports.exports.writers import BOM, csv_chunks, write_csv, write_export, write_xlsx

from . import export_fixtures

pytestmark = pytest.mark.django_db

# The shared export fixtures (not a conftest.py: see export_fixtures).
_korean = export_fixtures._korean
_private_media = export_fixtures._private_media
export_scene = export_fixtures.export_scene


def as_text(row: list) -> list[str]:
    return ["" if value is None else str(value) for value in row]


def test_csv_starts_with_the_bom_and_parses_back_to_the_rows(export_scene, city_admin):
    exporter = ApplicationExporter(city_admin, {})
    out = io.BytesIO()

    count = write_csv(out, exporter.headers(), exporter.rows())

    data = out.getvalue()
    assert data.startswith(BOM.encode("utf-8"))  # EF BB BF: Excel then reads the Korean correctly
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed[0] == exporter.headers()
    assert parsed[1:] == [as_text(row) for row in exporter.rows()]
    assert count == 3 == len(parsed) - 1


def test_csv_chunks_stream_in_batches_and_report_progress(monkeypatch):
    monkeypatch.setattr(writers, "CSV_BATCH_ROWS", 2)
    monkeypatch.setattr(writers, "PROGRESS_EVERY", 2)
    progress = mock.Mock()
    rows = ([str(n), f"이름{n}"] for n in range(5))

    chunks = list(csv_chunks(["번호", "이름"], rows, progress=progress))

    assert len(chunks) == 4  # the header, then batches of 2, 2 and 1 rows
    assert chunks[0] == "\ufeff번호,이름\r\n".encode()
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") == 6
    assert [call.args[0] for call in progress.call_args_list] == [2, 4, 5]


def test_csv_quotes_commas_quotes_and_newlines():
    out = io.BytesIO()
    write_csv(out, ["a", "b"], [["쉼표, 있음", 'say "hi"\n둘째 줄']])
    parsed = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    assert parsed[1] == ["쉼표, 있음", 'say "hi"\n둘째 줄']


def test_xlsx_opens_with_openpyxl_and_has_the_same_rows(export_scene, city_admin):
    exporter = ApplicationExporter(city_admin, {})
    out = io.BytesIO()

    with mock.patch.object(writers, "Workbook", wraps=openpyxl.Workbook) as workbook:
        count = write_export(exporter, "xlsx", out)
    assert workbook.call_args.kwargs == {"write_only": True}

    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    sheet = book.worksheets[0]
    assert sheet.title == "신청"
    values = [[("" if cell is None else cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == exporter.headers()
    assert values[1:] == [[("" if value is None else value) for value in row] for row in exporter.rows()]
    assert count == 3


def test_xlsx_drops_control_characters_and_never_writes_formulas():
    out = io.BytesIO()
    write_xlsx(out, ["메모"], [["벨\x07소리"], ['\'=HYPERLINK("x")']], title="a/b:c")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet.title == "a b c"
    assert sheet["A2"].value == "벨소리"
    assert sheet["A3"].data_type == "s"


def test_a_value_that_would_run_as_a_formula_is_written_as_text(export_scene, manager_a):
    household = export_scene.ha1
    household.address_detail = "=cmd|' /C calc'!A0"
    household.save(update_fields=["address_detail"])
    from reports.exports.exporters import HouseholdExporter

    from .export_fixtures import grant_unmasked

    exporter = HouseholdExporter(
        grant_unmasked(manager_a), {"neighbourhood": export_scene.n_a1.pk}, include_personal=True
    )
    [row] = list(exporter.rows())
    assert row[6] == "'=cmd|' /C calc'!A0"
