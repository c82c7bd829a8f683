"""Export files and performance reports on object storage: the worker's file is an object in the bucket
(no local file, no local path), its owner downloads it, expiry deletes the object, and a regenerated
report replaces its object under the same name."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import AuditEvent
from reports.exports.services import exports_expire, job_run
from reports.models import ExportJob
from reports.performance.services import SHEETS, performance_report_generate
from tests.factories import GWANAK, district, login
from tests.portal import object_storage

from . import export_fixtures

pytestmark = pytest.mark.django_db

_korean = export_fixtures._korean
export_scene = export_fixtures.export_scene
s3 = object_storage.s3


@pytest.fixture
def finished_job(s3, export_scene, manager_a, django_capture_on_commit_callbacks):
    """A large export of district A's applications, run by the (eager) task as the page would."""
    with django_capture_on_commit_callbacks(execute=True):
        job = ExportJob.objects.create(owner=manager_a, dataset="applications", format="csv")
    assert job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    return job


def test_an_export_job_uploads_its_file_as_one_object(s3, finished_job):
    assert finished_job.status == ExportJob.Status.DONE
    assert finished_job.file.name == f"exports/{finished_job.pk}.csv"
    assert s3.keys() == [finished_job.file.name]  # no ".part" or other leftovers
    assert s3.read(finished_job.file.name).startswith(b"\xef\xbb\xbf")


def test_the_owner_downloads_the_export_from_the_bucket(client, finished_job, export_scene, manager_a):
    response = login(client, manager_a).get(reverse("exports:download", args=[finished_job.pk]))

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert [row[0] for row in rows[1:]] == [export_scene.app_a1.reference, export_scene.app_a2.reference]
    assert AuditEvent.objects.filter(action="export.downloaded", actor=manager_a).count() == 1


def test_a_missing_export_object_is_404_and_not_logged(s3, client, finished_job, manager_a):
    s3.client.delete_object(Bucket=s3.name, Key=finished_job.file.name)

    assert (
        login(client, manager_a).get(reverse("exports:download", args=[finished_job.pk])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_expiry_deletes_the_object(s3, client, finished_job, manager_a):
    assert exports_expire(now=timezone.now() + timedelta(days=8)) == 1

    finished_job.refresh_from_db()
    assert finished_job.status == ExportJob.Status.EXPIRED and not finished_job.file
    assert s3.keys() == []
    assert (
        login(client, manager_a).get(reverse("exports:download", args=[finished_job.pk])).status_code == 404
    )


def test_a_job_lost_after_its_upload_has_its_object_deleted_by_the_cleanup(s3, export_scene, manager_a):
    job = ExportJob.objects.create(
        owner=manager_a,
        dataset="applications",
        format="csv",
        status="running",
        started_at=timezone.now() - timedelta(days=2),
    )
    s3.client.put_object(Bucket=s3.name, Key=f"exports/{job.pk}.csv", Body=b"uploaded, never recorded")

    exports_expire()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert s3.keys() == []


def test_a_rerun_of_a_lost_job_replaces_its_leftover_object(s3, export_scene, manager_a):
    job = ExportJob.objects.create(
        owner=manager_a,
        dataset="applications",
        format="csv",
        status="running",
        started_at=timezone.now() - timedelta(hours=3),  # claimable again (STALE_RUNNING)
    )
    s3.client.put_object(Bucket=s3.name, Key=f"exports/{job.pk}.csv", Body=b"left by the lost run")

    assert job_run(job_id=job.pk) == "done"

    job.refresh_from_db()
    assert s3.keys() == [job.file.name] == [f"exports/{job.pk}.csv"]
    assert s3.read(job.file.name) != b"left by the lost run"


def test_a_job_failing_after_its_upload_leaves_no_object(s3, export_scene, manager_a):
    job = ExportJob.objects.create(owner=manager_a, dataset="applications", format="csv")

    with mock.patch("reports.exports.services._log_export", side_effect=DatabaseError("connection lost")):
        assert job_run(job_id=job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert s3.keys() == []


# --- performance reports -------------------------------------------------------------------------------


def test_a_performance_report_is_an_object_downloaded_and_replaced_in_place(s3, client, manager_a):
    gwanak = district(GWANAK)
    first = performance_report_generate(district=gwanak, month=date(2025, 3, 1))

    assert s3.keys() == [first.file.name] == ["reports/performance-11620-2025-03.xlsx"]
    response = login(client, manager_a).get(reverse("performance:download", args=[first.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == list(SHEETS)
    workbook.close()

    second = performance_report_generate(district=gwanak, month=date(2025, 3, 1))

    assert second.pk == first.pk and second.file.name == first.file.name
    assert s3.keys() == [first.file.name]
