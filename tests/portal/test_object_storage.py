"""Object storage in the core: the settings that switch to it, the one helper serving private files,
spooled uploads, and the rule that no code asks a storage for a local path."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import RequestFactory

from portal.files import save_spooled, serve_private
from reports.models import PerformanceReport

from . import object_storage

s3 = object_storage.s3
SETTINGS_FILE = Path(django_settings.BASE_DIR) / "portal" / "settings.py"
STORAGE_VARIABLES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_QUERYSTRING_EXPIRE",
    "STORAGE_REDIRECT_DOWNLOADS",
)


def settings_with(monkeypatch, **environment) -> dict:
    """portal/settings.py evaluated afresh with these environment variables (and no other storage ones)."""
    for name in STORAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


# --- settings ------------------------------------------------------------------------------------------


def test_without_a_bucket_files_stay_local_under_media_root(monkeypatch):
    values = settings_with(monkeypatch)

    assert values["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert values["STORAGE_REDIRECT_DOWNLOADS"] is False
    assert values["STORAGES"]["staticfiles"]["BACKEND"].startswith(("whitenoise.", "django.contrib."))


def test_a_bucket_switches_to_private_s3_storage(monkeypatch):
    values = settings_with(
        monkeypatch,
        AWS_STORAGE_BUCKET_NAME="hana-files",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="hana",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_QUERYSTRING_EXPIRE="30",
        STORAGE_REDIRECT_DOWNLOADS="true",
    )

    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options == {
        **object_storage.S3_OPTIONS,
        "bucket_name": "hana-files",
        "endpoint_url": "http://127.0.0.1:9000",
        "access_key": "hana",
        "secret_key": "secret",
        "querystring_expire": 30,
    }
    # Private: no public-read ACL, signed URLs only, never an overwrite, bounded memory on reads.
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False and options["max_memory_size"] > 0
    assert values["STORAGE_REDIRECT_DOWNLOADS"] is True
    assert values["STORAGES"]["staticfiles"]["BACKEND"].startswith(("whitenoise.", "django.contrib."))


# --- no local paths ------------------------------------------------------------------------------------

# default_storage.path(...), storage.path(...), document.file.path, job.file.path ...
LOCAL_PATH = re.compile(r"(?:storage\w*|\bfile)\.path\b")
APPS = ("portal", "households", "programs", "spaces", "lockers", "safety", "reports", "demo")


def test_no_code_asks_a_storage_for_a_local_path():
    offenders = []
    for app in APPS:
        for source in (Path(django_settings.BASE_DIR) / app).rglob("*.py"):
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
                if LOCAL_PATH.search(line):
                    offenders.append(
                        f"{source.relative_to(django_settings.BASE_DIR)}:{number}: {line.strip()}"
                    )
    assert offenders == []


def test_the_pattern_catches_what_it_is_meant_to():
    for line in ("default_storage.path(name)", "x = self.storage.path(n)", "open(document.file.path)"):
        assert LOCAL_PATH.search(line), line
    for line in (
        "os.path.join(a, b)",
        "path('x/', view)",
        "Path(settings.MEDIA_ROOT)",
        "upload.temporary_file_path()",
    ):
        assert not LOCAL_PATH.search(line), line


# --- save_spooled --------------------------------------------------------------------------------------


def test_save_spooled_uploads_what_was_written_and_replaces_in_place(s3):
    name, result = save_spooled("reports/a.bin", lambda out: out.write(b"first") and "written")
    assert (name, result) == ("reports/a.bin", "written")
    assert s3.read(name) == b"first"

    kept, _ = save_spooled("reports/a.bin", lambda out: out.write(b"x"))
    assert kept != name  # without replace, the storage never overwrites: another name
    replaced, _ = save_spooled("reports/a.bin", lambda out: out.write(b"second"), replace=True)
    assert replaced == name and s3.read(name) == b"second"


def test_save_spooled_uploads_nothing_when_the_writer_fails(s3):
    def fail(out):
        out.write(b"half a file")
        raise RuntimeError("the export broke")

    with pytest.raises(RuntimeError):
        save_spooled("exports/broken.csv", fail)
    assert s3.keys() == []


# --- serve_private -------------------------------------------------------------------------------------


def stored_report(name: str, content: bytes) -> PerformanceReport:
    """An unsaved row whose FileField points at `content` saved under `name` in the default storage."""
    report = PerformanceReport()
    report.file.name = default_storage.save(name, ContentFile(content))
    return report


@pytest.mark.parametrize("redirect", [False, True])
def test_local_files_are_streamed_even_when_redirects_are_on(settings, tmp_path, redirect):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGE_REDIRECT_DOWNLOADS = redirect
    report = stored_report("reports/local.xlsx", b"PK local")
    served = []

    response = serve_private(
        RequestFactory().get("/"),
        report.file,
        filename="성과.xlsx",
        content_type="application/octet-stream",
        on_serve=lambda: served.append(True),
    )

    assert response.status_code == 200 and served == [True]
    assert b"".join(response.streaming_content) == b"PK local"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%EC%84%B1%EA%B3%BC.xlsx"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("redirect", [False, True])
def test_a_missing_object_is_404_before_anything_is_logged(s3, settings, redirect):
    settings.STORAGE_REDIRECT_DOWNLOADS = redirect
    report = stored_report("reports/gone.xlsx", b"PK")
    s3.client.delete_object(Bucket=s3.name, Key=report.file.name)
    served = []

    with pytest.raises(Http404):
        serve_private(
            RequestFactory().get("/"),
            report.file,
            filename="r.xlsx",
            content_type="application/octet-stream",
            on_serve=lambda: served.append(True),
        )
    assert served == []


def test_a_row_without_a_file_is_404(db):
    with pytest.raises(Http404):
        serve_private(RequestFactory().get("/"), PerformanceReport().file, filename="r", content_type="x/y")


def test_an_object_is_streamed_from_the_bucket_by_default(s3):
    report = stored_report("reports/remote.xlsx", b"PK remote")

    response = serve_private(
        RequestFactory().get("/"), report.file, filename="r.xlsx", content_type="application/octet-stream"
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK remote"
    assert response["Content-Length"] == str(len(b"PK remote"))
