"""Backup and restore: stored files copied out and back (local files and an S3 bucket, checked against a
manifest), and ops/backup + ops/restore end to end on PostgreSQL — a dump restored into a brand-new
database holds the same rows and the restored storage the same files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from households.models import Household
from portal.backup import BackupError, storage_backup, storage_restore
from portal.models import User
from programs.models import Application, ApplicationDocument
from tests.factories import ApplicationFactory, HouseholdFactory

from . import object_storage
from .test_celery_worker import database_url

s3 = object_storage.s3
OPS = Path(django_settings.BASE_DIR) / "ops"
FILES = {
    "applications/1/a.pdf": b"%PDF-1.4 first",
    "applications/2/b.png": b"\x89PNG second",
    "reports/performance-11620-2025-03.xlsx": b"PK report",
    "exports/00000000-0000-0000-0000-000000000000.csv": b"an export",
}


def store(files: dict[str, bytes]) -> None:
    for name, content in files.items():
        assert default_storage.save(name, ContentFile(content)) == name


def stored() -> dict[str, bytes]:
    from portal.backup import stored_names

    result = {}
    for name in stored_names(default_storage):
        with default_storage.open(name, "rb") as handle:
            result[name] = handle.read()
    return result


def use_bucket(settings, bucket: str) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**object_storage.S3_OPTIONS, "bucket_name": bucket},
        },
    }


# --- the files, through the storage API ----------------------------------------------------------------


def test_a_bucket_is_copied_out_and_restored_into_an_empty_one(s3, settings, tmp_path):
    store(FILES)
    backup = tmp_path / "backup"

    call_command("storage_backup", str(backup), "--exclude", "exports/")

    assert (backup / "files" / "applications" / "1" / "a.pdf").read_bytes() == FILES["applications/1/a.pdf"]
    kept = {name: content for name, content in FILES.items() if not name.startswith("exports/")}
    manifest = (backup / "files.sha256").read_text().splitlines()
    assert sorted(manifest) == sorted(f"{hashlib.sha256(c).hexdigest()}  {n}" for n, c in kept.items())

    s3.client.create_bucket(Bucket="hana-restored")
    use_bucket(settings, "hana-restored")
    call_command("storage_restore", str(backup))
    assert stored() == kept

    call_command("storage_restore", str(backup))  # again, after a failure half-way: nothing changes
    assert stored() == kept


def test_local_files_are_copied_out_and_back(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    store(FILES)
    storage_backup(target=tmp_path / "backup")

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    summary = storage_restore(source=tmp_path / "backup")

    assert summary.files == len(FILES)
    assert stored() == FILES


def test_a_damaged_backup_is_refused_before_anything_is_stored(s3, tmp_path):
    store(FILES)
    backup = tmp_path / "backup"
    storage_backup(target=backup)
    (backup / "files" / "applications" / "2" / "b.png").write_bytes(b"bit rot")
    for name in FILES:
        default_storage.delete(name)

    with pytest.raises(BackupError, match="applications/2/b.png is damaged"):
        storage_restore(source=backup)
    assert s3.keys() == []

    (backup / "files" / "applications" / "2" / "b.png").unlink()
    with pytest.raises(CommandError, match="do not match"):
        call_command("storage_restore", str(backup))


def test_a_backup_never_merges_into_an_older_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    store({"applications/1/a.pdf": b"x"})
    call_command("storage_backup", str(tmp_path / "backup"))

    with pytest.raises(CommandError, match="already exists"):
        call_command("storage_backup", str(tmp_path / "backup"))


# --- ops/backup and ops/restore on PostgreSQL --------------------------------------------------------------

TABLES = (User, Household, Application, ApplicationDocument)


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per table: the row count and an MD5 of its ids in order (a different or missing row shows)."""
    result = {}
    with psycopg.connect(url) as conn:
        for model in TABLES:
            table = model._meta.db_table
            count, checksum = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(id::text, ',' ORDER BY id), '')) FROM \"{table}\""  # noqa: S608
            ).fetchone()
            result[table] = (count, checksum)
    return result


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [str(OPS / script), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def fresh_database():
    """A brand-new, empty database (dropped afterwards); yields its URL."""
    name = f"hana_restore_{uuid.uuid4().hex[:12]}"
    admin_url = with_database(database_url(), "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield with_database(database_url(), name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("sha256sum")),
    reason="needs pg_dump, pg_restore and sha256sum on PATH",
)
def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(
    settings, tmp_path, fresh_database
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    applications = [ApplicationFactory(household=HouseholdFactory()) for _ in range(3)]
    documents = [
        ApplicationDocument.objects.create(
            application=application,
            file=ContentFile(f"document of {application.reference}".encode(), name="lease.pdf"),
            original_name="lease.pdf",
            content_type="application/pdf",
            size=30,
        )
        for application in applications
    ]
    assert connection.vendor == "postgresql"
    source_url = database_url()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in {"DATABASE_URL", "MEDIA_ROOT"}
    }
    env.update(
        {"PYTHON": sys.executable, "BACKUP_KEEP_DAYS": "0", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    )

    backed_up = run(
        "backup", str(tmp_path / "backups"), env={**env, "DATABASE_URL": source_url, "MEDIA_ROOT": str(media)}
    )
    assert backed_up.returncode == 0, backed_up.stderr
    [backup] = (tmp_path / "backups").glob("hana-*")
    assert {path.name for path in backup.iterdir()} == {
        "database.dump",
        "files",
        "files.sha256",
        "SHA256SUMS",
    }

    restored_media = tmp_path / "restored-media"
    target = {**env, "DATABASE_URL": fresh_database, "MEDIA_ROOT": str(restored_media)}
    restored = run("restore", str(backup), env=target)
    assert restored.returncode == 0, restored.stderr

    expected = fingerprint(source_url)
    assert expected[ApplicationDocument._meta.db_table][0] == 3
    assert fingerprint(fresh_database) == expected
    for document in documents:
        assert (restored_media / document.file.name).read_bytes() == (media / document.file.name).read_bytes()

    # The database now has tables: a second restore into it is refused before it touches anything.
    again = run("restore", str(backup), env=target)
    assert again.returncode != 0 and "already has" in again.stderr
