"""Retention: export files are one class of the retention table (the old expiry job folded in)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal import retention
from portal.models import AuditEvent
from reports.models import ExportJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_expired_export_files_are_deleted_by_the_nightly_run(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RETENTION_EXPORTS_DAYS = 7
    job = ExportJob.objects.create(
        owner=UserFactory(),
        dataset="applications",
        format="csv",
        status="done",
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    job.file.save(f"{job.pk}.csv", ContentFile(b"a,b\n"))
    stored = tmp_path / job.file.name
    assert stored.exists()

    assert retention.retention_run(now=timezone.now() + timedelta(days=6))["exports"] == 0
    assert stored.exists()

    assert retention.retention_run(now=timezone.now() + timedelta(days=8))["exports"] == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file and not stored.exists()
    assert AuditEvent.objects.filter(action="retention.run").latest("id").data["counts"]["exports"] == 1
