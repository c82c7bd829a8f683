"""Uploaded documents are served only to their owner and to staff of the application's district."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent
from programs.models import QuestionKind
from programs.services import application_draft_save, application_submit, document_attach
from tests.factories import HouseholdFactory, ProgramFactory, ProgramQuestionFactory, login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% a lease\n%%EOF\n"
ACTION = "programs.document.viewed"


@pytest.fixture
def document(resident, committed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(selection_method="review")
    question = ProgramQuestionFactory(program=program, kind=QuestionKind.FILE, label="임대차계약서")
    draft = application_draft_save(user=resident, program=program, answers={})
    upload = SimpleUploadedFile("임대차계약서.pdf", PDF, content_type="application/pdf")
    document = document_attach(user=resident, application=draft, question=question, upload=upload)
    committed(application_submit, user=resident, program=program)
    return document


def url(document) -> str:
    return reverse("programs:document_download", args=[document.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_owner_downloads_it_as_an_attachment(resident_client, document):
    response = resident_client.get(url(document))

    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%EC%9E%84%EB%8C%80%EC%B0%A8%EA%B3%84%EC%95%BD%EC%84%9C.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert not AuditEvent.objects.filter(action=ACTION).exists()  # one's own file is not a staff access


def test_another_resident_gets_404(client, document):
    login(client, HouseholdFactory().user)
    assert client.get(url(document)).status_code == 404


def test_staff_of_the_applications_district_download_and_it_is_logged(client, document, caseworker_a):
    login(client, caseworker_a)
    response = client.get(url(document), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert body(response) == PDF
    event = AuditEvent.objects.get(action=ACTION)
    assert event.actor == caseworker_a
    assert event.subject_user_id == document.application.household.user_id
    assert event.district_id == document.application.district_id
    assert event.target_type == "programs.applicationdocument"
    assert event.target_id == str(document.pk)
    assert event.ip_address == "10.1.2.3"


def test_staff_of_another_district_get_404_and_nothing_is_logged(client, document, caseworker_b):
    login(client, caseworker_b)
    assert client.get(url(document)).status_code == 404
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_a_city_admin_may_download(client, document, city_admin):
    login(client, city_admin)
    assert client.get(url(document)).status_code == 200
    assert AuditEvent.objects.filter(action=ACTION, actor=city_admin).count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, document):
    response = client.get(url(document))
    assert response.status_code == 302
    assert reverse("households:login") in response["Location"]


def test_unknown_document_or_missing_file_is_404(resident_client, document):
    assert resident_client.get(reverse("programs:document_download", args=[999999])).status_code == 404
    document.file.delete(save=False)
    assert resident_client.get(url(document)).status_code == 404


def test_files_are_not_under_a_public_url(resident_client, document):
    for path in (f"/media/{document.file.name}", f"/{document.file.name}", f"/static/{document.file.name}"):
        assert resident_client.get(path).status_code == 404
    assert document.file.name.startswith(f"applications/{document.application_id}/")
    assert "임대차계약서" not in document.file.name  # the resident's file name never becomes a path
