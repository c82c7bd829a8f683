"""My applications: the list, an application's page, cancelling, and answering a request for more
information; nobody sees another resident's application."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Application, ApplicationStatus, QuestionKind
from programs.services import (
    application_decide,
    application_draft_save,
    application_submit,
    document_attach,
)
from tests.factories import HouseholdFactory, ProgramFactory, ProgramQuestionFactory, add_rules

pytestmark = pytest.mark.django_db
S = ApplicationStatus
LIST = reverse("programs:application_list")
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def en(resident_client):
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return resident_client


def detail_url(application) -> str:
    return reverse("programs:application_detail", args=[application.pk])


def cancel_url(application) -> str:
    return reverse("programs:application_cancel", args=[application.pk])


def submit(committed, user, **program_fields) -> Application:
    program = ProgramFactory(**program_fields)
    application = committed(application_submit, user=user, program=program)
    application.refresh_from_db()
    return application


def test_list_shows_reference_program_status_and_dates(en, resident, committed):
    approved = submit(committed, resident, selection_method="first_come", title_en="Meal kits")
    review = submit(committed, resident, selection_method="review", title_en="Rent help")
    html = en.get(LIST).content.decode()

    for application in (approved, review):
        assert application.reference in html
        assert detail_url(application) in html
    assert "Meal kits" in html and "Rent help" in html
    assert 'class="status-tag status-tag--approved">Approved<' in html
    assert 'class="status-tag status-tag--under_review">Under review<' in html
    assert approved.submitted_at.astimezone().strftime("%Y.%m.%d") in html


def test_list_shows_drafts_with_continue_and_delete(en, resident):
    program = ProgramFactory()
    draft = application_draft_save(user=resident, program=program, answers={})
    html = en.get(LIST).content.decode()
    assert reverse("programs:apply", args=[program.pk]) in html
    assert cancel_url(draft) in html
    assert "Not submitted yet" in html


def test_list_is_empty_for_a_new_resident(en):
    assert "No applications yet" in en.get(LIST).content.decode()


def test_list_shows_only_my_applications(en, resident, committed):
    other = HouseholdFactory().user
    theirs = submit(committed, other, title_en="Their program")
    html = en.get(LIST).content.decode()
    assert theirs.reference not in html


@pytest.mark.parametrize("count", [3, 20])
def test_list_query_count_is_constant(en, resident, committed, django_assert_num_queries, count):
    for _ in range(count):
        submit(committed, resident, selection_method="review")
    en.get(LIST)  # warm the session and the caches
    # session, user, count for the paginator, the page of applications with their programs,
    # the unread count in the menu
    with django_assert_num_queries(5):
        response = en.get(LIST)
    assert len(response.context["applications"]) == count


def test_detail_shows_status_dates_eligibility_and_answers(en, resident, committed):
    program = ProgramFactory(selection_method="first_come", capacity=3)
    add_rules(program, {"field": "age", "operator": "gte", "value": 19, "explanation": "만 19세 이상"})
    question = ProgramQuestionFactory(program=program, label="희망 요일", label_en="Preferred day")
    application_draft_save(user=resident, program=program, answers={question.field_name: "토요일"})
    application = committed(application_submit, user=resident, program=program)

    html = en.get(detail_url(application)).content.decode()

    assert application.reference in html
    assert "Approved" in html and "Decision: approved" in html
    assert "만 19세 이상" in html  # the eligibility line stored on the application
    assert f"version {program.rule_version}" in html
    assert "Preferred day" in html and "토요일" in html
    assert cancel_url(application) in html


def test_detail_shows_the_reason_of_a_rejection_and_no_cancel(en, resident, committed, caseworker_a):
    application = submit(committed, resident, selection_method="review")
    committed(
        application_decide,
        application=application,
        action="reject",
        actor=caseworker_a,
        reason="소득 기준 초과",
    )

    html = en.get(detail_url(application)).content.decode()
    assert "Decision: not approved" in html and "소득 기준 초과" in html
    assert cancel_url(application) not in html
    response = en.get(cancel_url(application))
    assert response.status_code == 302
    assert "can no longer be cancelled" in en.get(response["Location"]).content.decode()


def test_cancel_asks_first_then_cancels(en, resident, committed):
    application = submit(committed, resident, selection_method="review")

    confirm = en.get(cancel_url(application))
    assert confirm.status_code == 200
    assert "Yes, cancel my application" in confirm.content.decode()
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW

    response = en.post(cancel_url(application))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.CANCELLED
    assert "is cancelled" in en.get(response["Location"]).content.decode()


def test_cancelling_an_approved_place_warns_first(en, resident, committed):
    application = submit(committed, resident, selection_method="first_come", capacity=1)
    assert application.status == S.APPROVED
    assert "you give up your place" in en.get(cancel_url(application)).content.decode()


def test_deleting_a_draft(en, resident):
    draft = application_draft_save(user=resident, program=ProgramFactory(), answers={})
    assert "Delete your draft?" in en.get(cancel_url(draft)).content.decode()
    response = en.post(cancel_url(draft))
    assert response["Location"] == LIST
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_a_draft_has_no_application_page_but_the_form(en, resident):
    program = ProgramFactory()
    draft = application_draft_save(user=resident, program=program, answers={})
    response = en.get(detail_url(draft))
    assert response["Location"] == reverse("programs:apply", args=[program.pk])


def test_answering_a_request_for_more_information(en, resident, committed, caseworker_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(selection_method="review")
    note = ProgramQuestionFactory(program=program, label="추가 설명", label_en="More details", required=False)
    lease = ProgramQuestionFactory(
        program=program, kind=QuestionKind.FILE, label="임대차계약서", label_en="Lease", required=False
    )
    application = submit_with(committed, resident, program)
    committed(
        application_decide,
        application=application,
        action="request_info",
        actor=caseworker_a,
        reason="임대차계약서 사본을 올려 주세요",
    )

    page = en.get(detail_url(application)).content.decode()
    assert "The district needs more information" in page
    assert "임대차계약서 사본을 올려 주세요" in page
    assert 'enctype="multipart/form-data"' in page

    upload = SimpleUploadedFile("lease.pdf", PDF, content_type="application/pdf")
    response = en.post(
        detail_url(application), {note.field_name: "계약서 첨부합니다", lease.field_name: upload}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.answers == {note.field_name: "계약서 첨부합니다"}
    assert application.documents.get().original_name == "lease.pdf"
    assert "your answer is sent" in en.get(response["Location"]).content.decode()


def test_a_rejected_file_in_the_answer_keeps_the_typed_text(
    en, resident, committed, caseworker_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(selection_method="review")
    note = ProgramQuestionFactory(program=program, label="추가 설명", required=False)
    lease = ProgramQuestionFactory(program=program, kind=QuestionKind.FILE, label="계약서", required=False)
    application = submit_with(committed, resident, program)
    committed(
        application_decide, application=application, action="request_info", actor=caseworker_a, reason="서류"
    )

    bad = SimpleUploadedFile("lease.exe", b"MZ", content_type="application/octet-stream")
    response = en.post(detail_url(application), {note.field_name: "설명을 덧붙입니다", lease.field_name: bad})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Upload a PDF, JPG, PNG or HWP file." in html
    assert "설명을 덧붙입니다" in html
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED


def submit_with(committed, user, program) -> Application:
    application = committed(application_submit, user=user, program=program)
    application.refresh_from_db()
    return application


def test_another_residents_application_is_404(en, committed):
    other = HouseholdFactory().user
    theirs = submit(committed, other, selection_method="review")
    for url in (
        detail_url(theirs),
        cancel_url(theirs),
        reverse("programs:application_submitted", args=[theirs.pk]),
    ):
        assert en.get(url).status_code == 404
    assert en.post(cancel_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.UNDER_REVIEW


def test_pages_need_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("households:login") in response["Location"]


def test_deleting_a_draft_removes_its_uploaded_files(
    en, resident, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory()
    lease = ProgramQuestionFactory(program=program, kind=QuestionKind.FILE, label="계약서")
    draft = application_draft_save(user=resident, program=program, answers={})
    upload = SimpleUploadedFile("lease.pdf", PDF, content_type="application/pdf")
    path = document_attach(user=resident, application=draft, question=lease, upload=upload).file.path

    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):  # files go once the deletion commits
        en.post(cancel_url(draft))

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not os.path.exists(path)


def test_the_kept_eligibility_lines_read_in_the_readers_language(en, resident, committed, settings):
    """Found in the browser: in English, an application's eligibility lines stayed Korean (they were kept
    in the language the task judged them in)."""
    program = ProgramFactory(selection_method="first_come", capacity=3)
    add_rules(
        program,
        {
            "field": "age",
            "operator": "gte",
            "value": 19,
            "explanation": "만 19세 이상",
            "explanation_en": "Aged 19+",
        },
    )
    application = committed(application_submit, user=resident, program=program)

    english = en.get(detail_url(application)).content.decode()
    assert "Aged 19+" in english and "만 19세 이상" not in english
    assert "19" in english and "Age" in english  # the comparison sentence, in English

    en.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = en.get(detail_url(application)).content.decode()
    assert "만 19세 이상" in korean and "Aged 19+" not in korean

    del en.cookies[settings.LANGUAGE_COOKIE_NAME]  # an API client: the language from Accept-Language
    api = en.get(f"/api/v1/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200
    assert api.json()["eligibility"]["lines"][0]["rule"] == "Aged 19+"
