"""Uploaded documents on object storage: stored in the bucket (nothing on local disk), downloaded by their
owner and by staff (logged), streamed by default or handed out as a short-lived signed URL, and deleted
from the bucket with their draft."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent
from programs.models import Application, QuestionKind
from programs.services import (
    application_cancel,
    application_draft_save,
    application_submit,
    document_attach,
)
from tests.factories import HouseholdFactory, ProgramFactory, ProgramQuestionFactory, login
from tests.portal import object_storage

pytestmark = pytest.mark.django_db
s3 = object_storage.s3
PDF = b"%PDF-1.4\n% a lease on object storage\n%%EOF\n"
ACTION = "programs.document.viewed"


@pytest.fixture
def program(db):
    program = ProgramFactory(selection_method="review")
    ProgramQuestionFactory(program=program, kind=QuestionKind.FILE, label="임대차계약서")
    return program


@pytest.fixture
def document(s3, resident, committed, program):
    question = program.questions.get()
    draft = application_draft_save(user=resident, program=program, answers={})
    upload = SimpleUploadedFile("임대차계약서.pdf", PDF, content_type="application/pdf")
    document = document_attach(user=resident, application=draft, question=question, upload=upload)
    committed(application_submit, user=resident, program=program)
    return document


def url(document) -> str:
    return reverse("programs:document_download", args=[document.pk])


def test_an_upload_is_an_object_in_the_bucket(s3, document):
    assert s3.keys() == [document.file.name]
    assert s3.read(document.file.name) == PDF


def test_the_owner_downloads_it_streamed(resident_client, document):
    response = resident_client.get(url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_staff_of_the_district_download_it_and_it_is_logged(client, document, caseworker_a):
    response = login(client, caseworker_a).get(url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(action=ACTION)
    assert event.actor == caseworker_a and event.target_id == str(document.pk)


def test_others_get_404_and_nothing_is_logged(client, document, caseworker_b):
    assert login(client, caseworker_b).get(url(document)).status_code == 404
    assert login(client, HouseholdFactory().user).get(url(document)).status_code == 404
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_a_missing_object_is_404_and_nothing_is_logged(s3, client, document, caseworker_a):
    s3.client.delete_object(Bucket=s3.name, Key=document.file.name)

    assert login(client, caseworker_a).get(url(document)).status_code == 404
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_with_redirects_on_staff_get_a_signed_url_after_the_access_is_logged(
    client, document, caseworker_a, caseworker_b, settings
):
    settings.STORAGE_REDIRECT_DOWNLOADS = True
    assert login(client, caseworker_b).get(url(document)).status_code == 404  # the check comes first

    response = login(client, caseworker_a).get(url(document))

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=ACTION, actor=caseworker_a).count() == 1
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.path.endswith(f"/{object_storage.BUCKET}/{document.file.name}")  # path addressing
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert query["response-content-type"] == ["application/pdf"]
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment;") and "%EC%9E%84" in disposition
    assert "no-store" in response["Cache-Control"]


def test_replacing_and_deleting_a_draft_delete_its_objects(s3, resident, program, committed):
    question = program.questions.get()
    draft = application_draft_save(user=resident, program=program, answers={})
    upload = SimpleUploadedFile("lease.pdf", PDF, content_type="application/pdf")
    first = document_attach(user=resident, application=draft, question=question, upload=upload).file.name
    assert s3.keys() == [first]

    # A second upload for the same question replaces the first, in the bucket too.
    again = SimpleUploadedFile("lease2.pdf", PDF, content_type="application/pdf")
    second = document_attach(user=resident, application=draft, question=question, upload=again).file.name
    assert s3.keys() == [second] != [first]

    committed(application_cancel, user=resident, application=draft)  # a draft is deleted with its files

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert s3.keys() == []
