"""End to end through a real Celery worker process and Redis: a large export is queued by the page's
service, picked up by the worker (which must know the task: reports.exports is not an app, so Celery
finds it through reports.tasks), written under MEDIA_ROOT/exports/, logged and notified.

Runs when REDIS_URL is set and the database is PostgreSQL, like tests/portal/test_celery_worker.py,
whose worker fixtures it uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.models import AuditEvent, Notification
from reports.exports.services import export_run
from reports.models import ExportJob
from tests.portal import test_celery_worker as celery_worker

from . import export_fixtures

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The shared fixtures (see export_fixtures and tests/portal/test_celery_worker.py).
_korean = export_fixtures._korean
export_scene = export_fixtures.export_scene
queue = celery_worker.queue
worker = celery_worker.worker


@pytest.fixture
def shared_media(settings, tmp_path, monkeypatch):
    """One MEDIA_ROOT for this process and the worker it starts (requested before `worker`)."""
    media = tmp_path / "shared-media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    return media


def test_a_worker_writes_a_large_export(shared_media, worker, export_scene, manager_a, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 1

    run = export_run(user=manager_a, dataset="applications", fmt="csv", filters={})

    job = run.job
    assert job is not None

    def done() -> bool:
        job.refresh_from_db()
        return job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)

    celery_worker.wait_for(done, "the export job", worker)
    assert job.status == ExportJob.Status.DONE, job.error
    assert job.rows_done == 2
    content = (Path(shared_media) / job.file.name).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert export_scene.app_a1.reference.encode() in content
    assert AuditEvent.objects.filter(action="export.created", target_id=str(job.pk)).count() == 1
    assert Notification.objects.filter(user=manager_a, template="export.ready").count() == 1
