"""What keeps a million-row export fast and flat: one query however many rows (no query per row), and
the benchmark helpers (the same export into any file, and the PostgreSQL COPY it is compared with)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.exports.bench_support import applications_copy_sql, export_applications_csv
from reports.exports.exporters import EXPORTERS
from tests.factories import ApplicationFactory, HouseholdFactory, book, login

from . import export_fixtures

pytestmark = pytest.mark.django_db

# The shared export fixtures (not a conftest.py: see export_fixtures).
_korean = export_fixtures._korean
_private_media = export_fixtures._private_media
export_scene = export_fixtures.export_scene


def queries_for(user, dataset: str) -> tuple[int, int]:
    exporter = EXPORTERS[dataset](user, {})
    with CaptureQueriesContext(connection) as queries:
        rows = sum(1 for _row in exporter.rows())
    return rows, len(queries)


@pytest.mark.parametrize("dataset", list(EXPORTERS))
def test_one_query_however_many_rows(export_scene, city_admin, dataset):
    rows_before, queries_before = queries_for(city_admin, dataset)
    # More of everything: applications with new households, programs and neighbourhoods, bookings.
    for _n in range(4):
        ApplicationFactory(household=HouseholdFactory(neighbourhood=export_scene.n_a2))
        book(export_scene.room_a, None, "2026-03-09 10:00", "2026-03-09 11:00", status="cancelled")
    rows_after, queries_after = queries_for(city_admin, dataset)

    assert queries_after == queries_before
    assert queries_before <= 3  # the select (and on PostgreSQL the cursor's SET / savepoint, not per row)
    if dataset in ("applications", "households", "bookings"):
        assert rows_after > rows_before


def test_the_export_page_runs_a_bounded_number_of_queries(client, export_scene, manager_a):
    login(client, manager_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("exports:form"), {"dataset": "kit-requests", "format": "csv"})
        b"".join(response.streaming_content)
    assert len(queries) <= 12  # session, user, permissions, form choices, count, audit, the select


def test_bench_helper_writes_the_applications_export_to_a_file(export_scene):
    out = io.BytesIO()

    rows = export_applications_csv(out, limit=2)

    assert rows == 2
    parsed = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    assert [row[0] for row in parsed[1:]] == [export_scene.app_a1.reference, export_scene.app_a2.reference]


@pytest.mark.postgres
def test_bench_copy_sql_reads_the_same_rows(export_scene):
    out = io.BytesIO()
    export_applications_csv(out)
    exported = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))[1:]

    with connection.cursor() as cursor, cursor.cursor.copy(applications_copy_sql()) as copy:
        copied = list(csv.reader(io.StringIO(b"".join(bytes(block) for block in copy).decode(), newline="")))

    assert [row[0] for row in copied] == [row[0] for row in exported]
    assert [row[9] for row in copied] == [row[9] for row in exported]  # Seoul time, formatted in SQL
