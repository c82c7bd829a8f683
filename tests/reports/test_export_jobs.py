"""Large exports: a background job (eager in tests) with progress, a private download for its owner only,
a notification, exactly one access-log event, recorded failures, and files that expire."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Notification
from reports.exports import services, writers
from reports.exports.services import exports_expire, job_run
from reports.models import ExportJob
from tests.factories import GWANAK, district, login

from . import export_fixtures
from .export_fixtures import grant_unmasked

pytestmark = pytest.mark.django_db

# The shared export fixtures (not a conftest.py: see export_fixtures).
_korean = export_fixtures._korean
_private_media = export_fixtures._private_media
export_scene = export_fixtures.export_scene
URL = reverse("exports:form")


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 1  # the scene's two applications make a "large" export


@pytest.fixture
def start(client, django_capture_on_commit_callbacks):
    """POST the export form as `user`, running the on-commit hooks (the task queue, eager in tests)."""

    def run(user, **data):
        login(client, user)
        payload = {"dataset": "applications", "format": "csv", **data}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, payload)

    return run


def created_events():
    return list(AuditEvent.objects.filter(action="export.created"))


def test_a_large_export_becomes_a_job_the_task_completes(client, start, export_scene, manager_a, settings):
    response = start(manager_a, date_from="2026-03-01")

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.owner == manager_a and job.district == district(GWANAK)
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_done, job.rows_total, job.percent) == (2, 2, 100)
    assert job.filters == {"date_from": "2026-03-01"}
    assert job.expires_at - job.finished_at == timedelta(days=7)
    path = Path(settings.MEDIA_ROOT) / "exports" / f"{job.pk}.csv"
    assert job.file.name == f"exports/{job.pk}.csv" and path.exists()
    assert not list(path.parent.glob("*.part"))

    # Exactly one access-log event, written by the job with the rows it wrote.
    [event] = created_events()
    assert event.actor == manager_a and event.district == district(GWANAK)
    assert event.target_type == "reports.exportjob" and event.target_id == str(job.pk)
    assert event.data == {
        "dataset": "applications",
        "format": "csv",
        "filters": {"date_from": "2026-03-01"},
        "rows": 2,
        "personal_data": False,
        "job": str(job.pk),
    }

    [notice] = Notification.objects.filter(user=manager_a)
    assert notice.template == "export.ready" and notice.channel == "in_app"
    assert notice.context["rows"] == "2"
    assert notice.context["link"].endswith(reverse("exports:job", args=[job.pk]))

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("exports:download", args=[job.pk]).encode() in page.content


def test_the_owner_downloads_the_file_and_the_download_is_logged(client, start, export_scene, manager_a):
    start(manager_a)
    job = ExportJob.objects.get()

    response = client.get(reverse("exports:download", args=[job.pk]), REMOTE_ADDR="10.0.0.7")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f"applications-{timezone.localdate().isoformat()}.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == [export_scene.app_a1.reference, export_scene.app_a2.reference]
    assert [row[3] for row in rows[1:]] == ["김*나", "이*"]
    download = AuditEvent.objects.get(action="export.downloaded")
    assert download.actor == manager_a and download.ip_address == "10.0.0.7"
    assert len(created_events()) == 1  # downloading is not another export


def test_anyone_but_the_owner_gets_404(client, start, export_scene, manager_a, caseworker_a, city_admin):
    start(manager_a)
    job = ExportJob.objects.get()
    for other in (caseworker_a, city_admin):
        login(client, other)
        assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 302  # to the login


def test_an_xlsx_job_writes_a_workbook(client, start, export_scene, city_admin):
    start(city_admin, format="xlsx", include_personal="on")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.include_personal
    response = client.get(reverse("exports:download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and "김하나" in [row[3] for row in rows]
    [event] = created_events()
    assert event.data["personal_data"] is True and event.data["rows"] == 3


def test_progress_is_recorded_while_the_file_is_written(start, export_scene, manager_a, monkeypatch):
    monkeypatch.setattr(writers, "CSV_BATCH_ROWS", 1)
    monkeypatch.setattr(writers, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(services, "PROGRESS_EVERY_SECONDS", 0)
    seen = []
    original = ExportJob.objects.filter

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        update = queryset.update

        def recording_update(**fields):
            if set(fields) == {"rows_done"}:
                seen.append(fields["rows_done"])
            return update(**fields)

        queryset.update = recording_update
        return queryset

    with mock.patch.object(ExportJob.objects, "filter", side_effect=spy):
        start(manager_a)

    assert seen == [1, 2]
    assert ExportJob.objects.get().rows_done == 2


def test_a_failure_is_recorded_notified_and_leaves_no_file(start, export_scene, manager_a, settings):
    with mock.patch.object(services, "write_export", side_effect=RuntimeError("disk full")):
        start(manager_a)

    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert "RuntimeError" in job.error
    assert not job.file
    assert not list((Path(settings.MEDIA_ROOT) / "exports").glob("*"))
    assert created_events() == []  # nothing was exported
    [notice] = Notification.objects.filter(user=manager_a)
    assert notice.template == "export.failed" and notice.context["reason"] == job.error


def test_a_job_rechecks_the_permission_when_it_runs(
    export_scene, manager_a, django_capture_on_commit_callbacks
):
    allowed = grant_unmasked(manager_a)
    job = ExportJob.objects.create(owner=allowed, dataset="households", format="csv", include_personal=True)
    allowed.user_permissions.clear()  # taken away while the job waited

    assert job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "permission" in job.error.lower() or "권한" in job.error
    assert created_events() == []


def test_a_job_runs_once_however_often_the_task_is_delivered(export_scene, manager_a):
    job = ExportJob.objects.create(owner=manager_a, dataset="applications", format="csv")

    assert job_run(job_id=job.pk) == "done"
    assert job_run(job_id=job.pk) == "skipped"
    assert len(created_events()) == 1
    assert Notification.objects.filter(user=manager_a).count() == 1


def test_an_xlsx_too_large_for_excel_fails_with_a_clear_message(export_scene, manager_a, monkeypatch):
    monkeypatch.setattr(services, "XLSX_MAX_ROWS", 1)
    job = ExportJob.objects.create(owner=manager_a, dataset="applications", format="xlsx")

    assert job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert "CSV" in job.error


def test_a_broker_that_is_down_delays_the_job_not_the_request(start, export_scene, manager_a):
    # Through the task outbox: the job waits, queued, and the relay starts it once the broker is back
    # (it used to be marked failed, and the manager had to ask again).
    from portal import outbox
    from portal.celery import app
    from portal.models import QueuedTask

    app.conf.task_always_eager = False  # a real publish, refused (the conftest fixture restores it)
    task = "reports.exports.tasks.run_export_job.apply_async"
    with mock.patch(task, side_effect=ConnectionError("no broker")):
        response = start(manager_a)

    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.QUEUED and not job.error
    waiting = QueuedTask.objects.get(name="portal.exports.tasks.run_export_job")
    assert waiting.status == QueuedTask.Status.PENDING and waiting.args == [str(job.pk)]

    QueuedTask.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    with mock.patch(task) as published:
        assert outbox.relay() == 1
    published.assert_called_once_with(args=[str(job.pk)], kwargs={})


def test_files_expire_and_are_deleted(client, start, export_scene, manager_a, settings):
    start(manager_a)
    job = ExportJob.objects.get()
    path = Path(settings.MEDIA_ROOT) / job.file.name

    assert exports_expire() == 0  # not yet
    assert exports_expire(now=timezone.now() + timedelta(days=8)) == 1

    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file and not path.exists()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert page.status_code == 200 and page.context["expired"]


def test_the_job_page_shows_progress_and_refreshes_while_running(client, export_scene, manager_a):
    job = ExportJob.objects.create(
        owner=manager_a, dataset="applications", format="csv", status="running", rows_total=200, rows_done=50
    )
    page = login(client, manager_a).get(reverse("exports:job", args=[job.pk]))
    assert page.status_code == 200
    assert b'http-equiv="refresh"' in page.content
    assert b'<progress id="export-progress" max="100" value="25">' in page.content


def test_a_job_lost_with_its_worker_is_closed_by_the_cleanup(export_scene, manager_a, settings):
    job = ExportJob.objects.create(
        owner=manager_a,
        dataset="applications",
        format="csv",
        status="running",
        started_at=timezone.now() - timedelta(days=2),
    )
    partial = Path(settings.MEDIA_ROOT) / "exports" / f"{job.pk}.csv.part"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"half")

    exports_expire()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.error
    assert not partial.exists()
