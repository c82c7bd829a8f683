"""The export API: start a job, poll it, download its file, with the pages' scoping, masking and access log.

Tasks are eager in tests: a job queued through the outbox runs when the start request's transaction
"commits" (django_capture_on_commit_callbacks), so the POST answers a queued job and the next GET sees it
done, as a client polling a real worker would.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import AuditEvent
from reports.models import ExportJob
from tests.factories import JUNGGU, district, login

from . import export_fixtures
from .export_fixtures import grant_unmasked

pytestmark = pytest.mark.django_db

_korean = export_fixtures._korean
_private_media = export_fixtures._private_media
export_scene = export_fixtures.export_scene

URL = "/api/v1/staff/exports/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def start(client, django_capture_on_commit_callbacks):
    """POST an export as `user`, running the on-commit hooks (the task queue, eager in tests)."""

    def run(user, **body):
        login(client, user)
        payload = {"dataset": "applications", "format": "csv", **body}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, payload, content_type="application/json")

    return run


def download_text(client, job_id) -> str:
    response = client.get(f"{URL}{job_id}/download/")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8-sig")


def created_events():
    return list(AuditEvent.objects.filter(action="export.created"))


def error(response) -> dict:
    body = response.json()["error"]
    assert body["status"] == response.status_code
    return body


# --- the round trip -----------------------------------------------------------------------------------


def test_start_poll_download_round_trip(client, start, export_scene, manager_a):
    response = start(manager_a, filters={"date_from": "2026-03-01"})

    assert response.status_code == 202
    job = ExportJob.objects.get()
    body = response.json()
    assert body["id"] == str(job.pk) and body["status"] == "queued"  # as it was when the request ended
    assert response["Location"] == f"http://testserver{URL}{job.pk}/"
    assert body["links"] == {"self": f"{URL}{job.pk}/", "download": None}
    assert job.owner == manager_a and job.filters == {"date_from": "2026-03-01"}

    polled = client.get(response["Location"]).json()
    assert polled["status"] == "done"
    assert (polled["progress"], polled["rows"], polled["rows_total"]) == (100, 2, 2)
    assert polled["expires_at"] and polled["error"] == ""
    assert polled["links"]["download"] == f"{URL}{job.pk}/download/"

    file = client.get(polled["links"]["download"])
    assert file.status_code == 200
    assert file["Content-Type"] == "text/csv; charset=utf-8"
    assert file["Content-Disposition"].startswith('attachment; filename="applications-')
    assert "no-store" in file["Cache-Control"]
    rows = list(csv.reader(io.StringIO(b"".join(file.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3  # the header and the district's two applications
    assert {row[1] for row in rows[1:]} == {"청년 소모임", "마음 건강"}

    # Exactly one access-log event for the export (the job's), and the download logged apart.
    [event] = created_events()
    assert event.actor == manager_a and event.target_id == str(job.pk)
    assert event.data["rows"] == 2 and event.data["personal_data"] is False
    assert AuditEvent.objects.filter(action="export.downloaded").count() == 1


def test_even_a_small_export_is_a_job(client, start, export_scene, manager_a, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 50_000  # the page would stream these two rows at once

    response = start(manager_a)

    assert response.status_code == 202
    assert ExportJob.objects.get().status == ExportJob.Status.DONE
    assert len(created_events()) == 1


def test_an_xlsx_export_downloads_as_a_workbook(client, start, export_scene, manager_a):
    job_id = start(manager_a, format="xlsx").json()["id"]

    file = client.get(f"{URL}{job_id}/download/")

    assert file.status_code == 200 and file["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content))).active
    assert sheet.max_row == 3


def test_the_list_shows_only_my_jobs_newest_first(client, start, export_scene, manager_a, caseworker_a):
    start(caseworker_a)
    first = start(manager_a).json()["id"]
    second = start(manager_a, dataset="households").json()["id"]

    body = client.get(URL).json()

    assert [job["id"] for job in body["results"]] == [second, first]


# --- scoping -------------------------------------------------------------------------------------------


def test_another_districts_rows_are_not_exported(client, start, export_scene, manager_a):
    job_id = start(manager_a, dataset="households").json()["id"]

    text = download_text(client, job_id)

    assert "중구" not in text and "퇴계로" not in text
    assert len(text.strip().splitlines()) == 3


def test_another_users_job_is_404(client, start, export_scene, manager_a, caseworker_a):
    job_id = start(manager_a).json()["id"]
    login(client, caseworker_a)

    for path in (f"{URL}{job_id}/", f"{URL}{job_id}/download/"):
        response = client.get(path)
        assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert client.get(f"{URL}not-a-uuid/").status_code == 404
    assert AuditEvent.objects.filter(action="export.downloaded").count() == 0


def test_another_districts_program_is_a_bad_filter(client, start, export_scene, manager_a):
    response = start(manager_a, filters={"program": export_scene.program_b.pk})

    assert response.status_code == 400
    assert "filters.program" in error(response)["fields"]
    assert not ExportJob.objects.exists()


def test_another_district_is_refused(client, start, export_scene, manager_a):
    response = start(manager_a, filters={"district": district(JUNGGU).pk})

    assert response.status_code == 403 and error(response)["code"] == "permission_denied"
    assert not ExportJob.objects.exists() and not created_events()


def test_a_data_set_the_role_may_not_view_is_refused(client, start, export_scene, program_manager_a):
    response = start(program_manager_a, dataset="households")

    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_residents_and_anonymous_callers_are_refused(client, start, resident):
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}, content_type="application/json").status_code == 403
    response = start(resident)
    assert response.status_code == 403 and error(response)["code"] == "permission_denied"
    assert client.get(f"{URL}datasets/").status_code == 403


# --- masking -------------------------------------------------------------------------------------------


def test_personal_data_is_masked_by_default(client, start, export_scene, manager_a):
    text = download_text(client, start(manager_a).json()["id"])

    assert "김하나" not in text and "010-1234-5678" not in text
    assert "010-****-5678" in text


def test_unmasked_personal_data_needs_the_permission(client, start, export_scene, manager_a):
    response = start(manager_a, include_personal=True)

    assert response.status_code == 403
    assert error(response)["message"] == "마스킹하지 않은 개인정보를 내보낼 권한이 없습니다."
    assert not ExportJob.objects.exists() and not created_events()


def test_unmasked_with_the_permission(client, start, export_scene, manager_a):
    manager = grant_unmasked(manager_a)

    body = start(manager, include_personal=True).json()
    text = download_text(client, body["id"])

    assert body["include_personal"] is True
    assert "김하나" in text and "010-1234-5678" in text
    [event] = created_events()
    assert event.data["personal_data"] is True


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dataset": "passwords"}, "dataset"),
        ({"format": "pdf"}, "format"),
        ({"filters": {"colour": "red"}}, "filters.colour"),
        ({"filters": "all"}, "filters"),
        ({"filters": {"date_from": "9999-12-31"}}, "filters.date_from"),
        ({"filters": {"date_from": "2026-04-01", "date_to": "2026-03-01"}}, "filters.date_to"),
        ({"filters": {"status": "nonsense"}}, "filters.status"),
        ({"filters": {"program": 99999999}}, "filters.program"),
        ({"filters": {"program": "one"}}, "filters.program"),
        ({"dataset": "deliveries", "filters": {"program": "program_a"}}, "filters.program"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, start, export_scene, manager_a, body, field):
    if body.get("filters", {}) == {"program": "program_a"}:  # a program of theirs, on a data set without
        body = {**body, "filters": {"program": export_scene.program_a.pk}}  # programs
    response = start(manager_a, **body)

    assert response.status_code == 400
    assert field in error(response)["fields"]
    assert not ExportJob.objects.exists()


def test_a_body_that_is_not_json_is_refused_in_json(client, manager_a):
    login(client, manager_a)

    broken = client.post(URL, "{not json", content_type="application/json")
    form = client.post(URL, {"dataset": "applications"})

    assert broken.status_code == 400 and error(broken)["code"]
    assert form.status_code == 415 and error(form)["code"]


# --- download states -----------------------------------------------------------------------------------


def _job(owner, **fields) -> ExportJob:
    return ExportJob.objects.create(owner=owner, dataset="applications", format="csv", **fields)


def test_a_job_not_done_yet_is_409(client, manager_a):
    job = _job(manager_a)
    login(client, manager_a)

    response = client.get(f"{URL}{job.pk}/download/", HTTP_ACCEPT="text/csv")

    assert response.status_code == 409 and error(response)["code"] == "not_ready"
    assert response["Content-Type"] == "application/json"


def test_a_failed_job_is_409_with_its_error(client, manager_a):
    job = _job(manager_a, status=ExportJob.Status.FAILED, error="너무 큽니다")
    login(client, manager_a)

    assert client.get(f"{URL}{job.pk}/").json()["error"] == "너무 큽니다"
    response = client.get(f"{URL}{job.pk}/download/")
    assert response.status_code == 409 and error(response)["code"] == "failed"


def test_an_expired_file_is_410(client, start, export_scene, manager_a):
    job_id = start(manager_a).json()["id"]
    ExportJob.objects.filter(pk=job_id).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(f"{URL}{job_id}/download/")

    assert response.status_code == 410 and error(response)["code"] == "expired"
    assert client.get(f"{URL}{job_id}/").json()["links"]["download"] is None
    gone = _job(manager_a, status=ExportJob.Status.EXPIRED)
    assert client.get(f"{URL}{gone.pk}/download/").status_code == 410


# --- discovery and documentation -----------------------------------------------------------------------


def test_the_data_sets_this_user_may_export(client, manager_a, program_manager_a):
    login(client, manager_a)
    datasets = {item["name"]: item for item in client.get(f"{URL}datasets/").json()}

    assert "households" in datasets and "applications" in datasets
    applications = datasets["applications"]
    assert applications["formats"] == ["csv", "xlsx"]
    assert "program" in applications["filters"] and "district" not in applications["filters"]
    assert {"value": "approved", "label": "승인"} in applications["statuses"]
    assert applications["include_personal_allowed"] is False

    login(client, program_manager_a)
    assert "households" not in {item["name"] for item in client.get(f"{URL}datasets/").json()}


def test_options_answers_on_every_route(client, start, export_scene, manager_a):
    job_id = start(manager_a).json()["id"]

    for path in (URL, f"{URL}datasets/", f"{URL}{job_id}/", f"{URL}{job_id}/download/"):
        response = client.options(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/json"


def test_the_schema_documents_the_operations(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    collection, job, download = (
        paths["/api/v1/staff/exports/"],
        paths["/api/v1/staff/exports/{id}/"],
        paths["/api/v1/staff/exports/{id}/download/"],
    )
    assert {"get", "post"} <= set(collection)
    assert set(collection["post"]["responses"]) >= {"202", "400", "403"}
    assert job["get"]["parameters"][0]["schema"] == {"type": "string", "format": "uuid"} or (
        job["get"]["parameters"][0]["schema"]["format"] == "uuid"
    )
    responses = download["get"]["responses"]
    assert set(responses) >= {"200", "403", "404", "409", "410"}
    assert {"text/csv", XLSX} <= set(responses["200"]["content"])
    assert "/api/v1/staff/exports/datasets/" in paths


def test_the_list_runs_a_constant_number_of_queries(client, manager_a):
    login(client, manager_a)
    _job(manager_a)
    client.get(URL)  # the session and permission caches warm up as in any request after the first
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
        for _ in range(5):
            _job(manager_a)
    # The session, the user, their own and their groups' permissions, and the one page of jobs.
    assert counts == [5, 5]
