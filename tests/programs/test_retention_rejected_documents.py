"""Retention: the documents of a rejected application are deleted from storage after the period."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal import retention
from programs.models import ApplicationDocument, ApplicationStatus
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def document(status: str) -> ApplicationDocument:
    application = ApplicationFactory(
        status=status,
        decided_at=timezone.now(),
        decision_reason="소득 기준 초과" if status == ApplicationStatus.REJECTED else "",
    )
    return ApplicationDocument.objects.create(
        application=application,
        file=SimpleUploadedFile("proof.pdf", b"%PDF-1.4 test"),
        original_name="소득금액증명원.pdf",
        content_type="application/pdf",
        size=13,
    )


def run(days: int) -> int:
    return retention.prune_class(
        retention.get("rejected_documents"), now=timezone.now() + timedelta(days=days)
    )


def test_rejected_documents_are_deleted_from_storage_after_the_period_not_before(settings):
    settings.RETENTION_REJECTED_DOCUMENTS_DAYS = 180
    rejected = document(ApplicationStatus.REJECTED)
    approved = document(ApplicationStatus.APPROVED)
    rejected_file = Path(settings.MEDIA_ROOT) / rejected.file.name
    approved_file = Path(settings.MEDIA_ROOT) / approved.file.name
    assert rejected_file.exists()

    assert run(179) == 0
    assert rejected_file.exists()

    assert run(181) == 1
    assert not rejected_file.exists()
    assert not ApplicationDocument.objects.filter(pk=rejected.pk).exists()
    # The application itself stays (the record of the decision); an approved one keeps its documents.
    assert rejected.application.__class__.objects.filter(pk=rejected.application_id).exists()
    assert approved_file.exists() and ApplicationDocument.objects.filter(pk=approved.pk).exists()

    assert run(181) == 0  # idempotent


def test_a_file_already_gone_does_not_stop_the_run(settings):
    rejected = document(ApplicationStatus.REJECTED)
    (Path(settings.MEDIA_ROOT) / rejected.file.name).unlink()

    assert run(settings.RETENTION_REJECTED_DOCUMENTS_DAYS + 1) == 1
    assert not ApplicationDocument.objects.exists()
