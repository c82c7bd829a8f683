"""The resident's applications API: apply, drafts and documents, list, detail, cancel, respond."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from households.models import Household
from programs.models import Application, ApplicationDocument, ApplicationStatus, ProgramStatus, QuestionKind
from programs.services import application_decide, application_submit
from tests.factories import (
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    ProgramQuestionFactory,
    UserFactory,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
URL = "/api/v1/applications/"
PDF = b"%PDF-1.4\n% a test document\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post(client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"status", "code", "message", "fields"}
    return error


def pdf(name: str = "proof.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def program():
    return ProgramFactory(selection_method="review")


@pytest.fixture
def questions(program):
    """One question of each kind the API checks, keyed by kind."""
    kinds = {
        QuestionKind.TEXT: {},
        QuestionKind.NUMBER: {},
        QuestionKind.DATE: {},
        QuestionKind.CHOICE: {"choices": ["오전", "오후"]},
        QuestionKind.YES_NO: {},
    }
    return {
        kind: ProgramQuestionFactory(program=program, kind=kind, **extra) for kind, extra in kinds.items()
    }


@pytest.fixture
def file_question(program):
    return ProgramQuestionFactory(program=program, kind=QuestionKind.FILE, label="신분증 사본")


def full_answers(questions) -> dict:
    q = {kind: question.field_name for kind, question in questions.items()}
    return {
        q[QuestionKind.TEXT]: "  저녁 모임 희망  ",
        q[QuestionKind.NUMBER]: 3,
        q[QuestionKind.DATE]: "2026-03-01",
        q[QuestionKind.CHOICE]: "오후",
        q[QuestionKind.YES_NO]: True,
    }


# --- applying in one step -----------------------------------------------------------------------


def test_apply_submits_and_answers_with_the_reference(
    resident_client, resident, program, questions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(resident_client, URL, {"program": program.pk, "answers": full_answers(questions)})

    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get(household__user=resident)
    assert body["id"] == application.pk
    assert body["reference"] == f"HN-{timezone.localdate().year}-{application.pk:06d}"
    assert body["status"] == "submitted"  # as it was when the request answered
    assert application.status == S.UNDER_REVIEW  # then the evaluation task routed it (review program)
    # Stored in one form whatever the client sent: text trimmed, numbers as numbers, ISO dates.
    assert application.answers == {
        **full_answers(questions),
        questions[QuestionKind.TEXT].field_name: "저녁 모임 희망",
    }


def test_detail_shows_answers_eligibility_and_documents(
    resident_client, resident, program, questions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = post(resident_client, URL, {"program": program.pk, "answers": full_answers(questions)})
    application_id = created.json()["id"]

    body = resident_client.get(f"{URL}{application_id}/").json()

    assert body["status"] == "under_review"
    assert body["program"] == {"id": program.pk, "title": program.title}
    assert body["answers"][questions[QuestionKind.NUMBER].field_name] == 3
    assert body["submitted_at"] and body["created_at"] and body["decided_at"] is None
    assert body["eligibility"]["verdict"] == "eligible"
    assert body["eligibility"]["rule_version"] == program.rule_version
    assert isinstance(body["eligibility"]["lines"], list)
    assert body["documents"] == []
    assert body["can_cancel"] is True


def test_unanswered_optional_questions_are_not_stored(resident_client, resident, program, questions):
    optional = ProgramQuestionFactory(program=program, kind=QuestionKind.TEXT, required=False)
    answers = {**full_answers(questions), optional.field_name: ""}

    response = post(resident_client, URL, {"program": program.pk, "answers": answers})

    assert response.status_code == 201, response.content
    assert optional.field_name not in Application.objects.get(household__user=resident).answers


# --- the services' refusals, with their codes ---------------------------------------------------


def test_applying_twice_is_refused_as_duplicate(resident_client, program):
    assert post(resident_client, URL, {"program": program.pk}).status_code == 201

    error = assert_error(post(resident_client, URL, {"program": program.pk}), 400, "duplicate")

    assert Application.objects.filter(program=program).count() == 1
    assert error["message"]


def test_applying_outside_the_application_period_is_refused_as_closed(resident_client):
    yesterday = timezone.localdate() - timedelta(days=1)
    ended = ProgramFactory(application_start=yesterday - timedelta(days=30), application_end=yesterday)
    closed = ProgramFactory(status=ProgramStatus.CLOSED)

    assert_error(post(resident_client, URL, {"program": ended.pk}), 400, "closed")
    assert_error(post(resident_client, URL, {"program": closed.pk}), 400, "closed")
    assert not Application.objects.exists()


def test_applying_without_a_household_profile_is_refused_as_profile_incomplete(client, program):
    login(client, UserFactory())

    assert_error(post(client, URL, {"program": program.pk}), 400, "profile_incomplete")


def test_applying_with_required_answers_missing_is_refused_as_incomplete(resident_client, program, questions):
    answers = full_answers(questions)
    number = questions[QuestionKind.NUMBER].field_name
    del answers[number]

    error = assert_error(
        post(resident_client, URL, {"program": program.pk, "answers": answers}), 400, "incomplete"
    )

    assert set(error["fields"]) == {f"answers.{number}"}
    assert not Application.objects.exists()


def test_a_program_with_a_file_question_cannot_be_applied_to_in_one_step(
    resident_client, program, file_question
):
    error = assert_error(post(resident_client, URL, {"program": program.pk}), 400, "incomplete")

    assert set(error["fields"]) == {f"answers.{file_question.field_name}"}


def test_draft_and_archived_programs_are_not_a_valid_choice(resident_client):
    hidden = ProgramFactory(status=ProgramStatus.DRAFT)

    error = assert_error(post(resident_client, URL, {"program": hidden.pk}), 400, "invalid")

    assert "program" in error["fields"]


# --- answers checked per question kind ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (QuestionKind.TEXT, 12),
        (QuestionKind.TEXT, "가" * 2001),
        (QuestionKind.NUMBER, "three"),
        (QuestionKind.NUMBER, "3"),
        (QuestionKind.NUMBER, True),
        (QuestionKind.NUMBER, [3]),
        (QuestionKind.DATE, "01/03/2026"),
        (QuestionKind.DATE, "2026-02-30"),
        (QuestionKind.DATE, 20260301),
        (QuestionKind.CHOICE, "저녁"),
        (QuestionKind.CHOICE, 1),
        (QuestionKind.YES_NO, "yes"),
        (QuestionKind.YES_NO, 1),
    ],
)
def test_an_answer_of_the_wrong_type_is_a_field_error(resident_client, program, questions, kind, value):
    answers = {**full_answers(questions), questions[kind].field_name: value}

    response = post(resident_client, URL, {"program": program.pk, "answers": answers})

    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == [f"answers.{questions[kind].field_name}"]
    assert not Application.objects.exists()


def test_every_wrong_answer_is_reported_at_once(resident_client, program, questions):
    answers = {
        **full_answers(questions),
        questions[QuestionKind.NUMBER].field_name: "many",
        questions[QuestionKind.YES_NO].field_name: "maybe",
    }

    error = assert_error(
        post(resident_client, URL, {"program": program.pk, "answers": answers}), 400, "invalid"
    )

    assert set(error["fields"]) == {
        f"answers.{questions[QuestionKind.NUMBER].field_name}",
        f"answers.{questions[QuestionKind.YES_NO].field_name}",
    }


def test_answers_to_unknown_or_file_questions_are_refused(resident_client, program, questions, file_question):
    other_program_question = ProgramQuestionFactory()
    answers = {
        **full_answers(questions),
        "q999999": "?",
        other_program_question.field_name: "?",
        file_question.field_name: "proof.pdf",
    }

    error = assert_error(
        post(resident_client, URL, {"program": program.pk, "answers": answers}), 400, "invalid"
    )

    assert set(error["fields"]) == {
        "answers.q999999",
        f"answers.{other_program_question.field_name}",
        f"answers.{file_question.field_name}",
    }


def test_malformed_json_is_a_400_in_the_error_format(resident_client, program):
    response = resident_client.post(URL, '{"program": 1, "answers": {', content_type="application/json")

    assert_error(response, 400, "parse_error")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"program": "first", "answers": {}}, "program"),
        ({"answers": {}}, "program"),
        ({"program": None}, "program"),
        ({"program": "PROGRAM", "answers": ["오후"]}, "answers"),
        ({"program": "PROGRAM", "answers": "오후"}, "answers"),
    ],
)
def test_wrong_types_are_a_400_in_the_error_format(resident_client, program, payload, field):
    payload = {key: program.pk if value == "PROGRAM" else value for key, value in payload.items()}

    error = assert_error(post(resident_client, URL, payload), 400, "invalid")

    assert field in error["fields"]


def test_a_json_array_body_is_a_400_in_the_error_format(resident_client):
    response = resident_client.post(URL, "[1, 2]", content_type="application/json")

    assert_error(response, 400, "invalid")


# --- drafts, documents, submit -------------------------------------------------------------------


def test_draft_upload_then_submit(resident_client, resident, program, questions, file_question):
    answers = full_answers(questions)
    draft = post(resident_client, f"{URL}drafts/", {"program": program.pk, "answers": {}})
    assert draft.status_code == 201, draft.content
    draft_id = draft.json()["id"]
    assert draft.json()["status"] == "draft" and draft.json()["reference"] is None

    again = post(resident_client, f"{URL}drafts/", {"program": program.pk, "answers": answers})
    assert again.status_code == 200 and again.json()["id"] == draft_id

    uploaded = resident_client.post(
        f"{URL}{draft_id}/documents/", {"file": pdf("주민등록등본.pdf"), "question": file_question.pk}
    )
    assert uploaded.status_code == 201, uploaded.content
    document = ApplicationDocument.objects.get(application_id=draft_id)
    assert uploaded.json() == {
        "id": document.pk,
        "question": file_question.pk,
        "name": "주민등록등본.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "uploaded_at": uploaded.json()["uploaded_at"],
        "url": f"/programs/documents/{document.pk}/",
    }

    submitted = post(resident_client, f"{URL}{draft_id}/submit/")

    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["reference"].startswith("HN-")
    assert [d["id"] for d in submitted.json()["documents"]] == [document.pk]
    assert Application.objects.get(pk=draft_id).answers == {
        **answers,
        questions[QuestionKind.TEXT].field_name: "저녁 모임 희망",
    }


def test_a_draft_is_checked_for_types_but_not_for_completeness(resident_client, program, questions):
    number = questions[QuestionKind.NUMBER].field_name

    assert (
        post(resident_client, f"{URL}drafts/", {"program": program.pk, "answers": {number: 2}}).status_code
        == 201
    )
    error = assert_error(
        post(resident_client, f"{URL}drafts/", {"program": program.pk, "answers": {number: "two"}}),
        400,
        "invalid",
    )
    assert list(error["fields"]) == [f"answers.{number}"]


def test_submitting_a_draft_without_its_document_is_incomplete(resident_client, program, file_question):
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]

    error = assert_error(post(resident_client, f"{URL}{draft_id}/submit/"), 400, "incomplete")

    assert set(error["fields"]) == {f"answers.{file_question.field_name}"}
    assert Application.objects.get(pk=draft_id).status == S.DRAFT


def test_submit_may_carry_the_final_answers(resident_client, program, questions):
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]

    response = post(resident_client, f"{URL}{draft_id}/submit/", {"answers": full_answers(questions)})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"


def test_only_a_draft_can_be_submitted(resident_client, program):
    application_id = post(resident_client, URL, {"program": program.pk}).json()["id"]
    post(resident_client, f"{URL}{application_id}/cancel/")

    assert_error(post(resident_client, f"{URL}{application_id}/submit/"), 409, "invalid_transition")
    # Above all, not a new application started in its place.
    assert Application.objects.filter(program=program).count() == 1


def test_a_draft_of_a_program_that_has_closed_is_refused_as_closed(resident_client, program):
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]
    program.status = ProgramStatus.CLOSED
    program.save()

    assert_error(post(resident_client, f"{URL}{draft_id}/submit/"), 400, "closed")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("fake.pdf", b"\x89PNG\r\n\x1a\n", content_type="application/pdf"),
        SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"),
    ],
)
def test_a_bad_file_is_refused_with_the_services_message(resident_client, program, file_question, upload):
    from programs.answers import upload_problem

    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]
    expected = upload_problem(upload)

    response = resident_client.post(
        f"{URL}{draft_id}/documents/", {"file": upload, "question": file_question.pk}
    )

    error = assert_error(response, 400, "invalid_file")
    assert error["message"] == expected
    assert error["fields"] == {"file": [expected]}
    assert not ApplicationDocument.objects.exists()


def test_a_document_needs_a_file(resident_client, program, file_question):
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]

    error = assert_error(resident_client.post(f"{URL}{draft_id}/documents/", {}), 400, "invalid")

    assert "file" in error["fields"]


def test_a_document_for_another_programs_question_is_refused(resident_client, program):
    elsewhere = ProgramQuestionFactory(kind=QuestionKind.FILE)
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]

    response = resident_client.post(f"{URL}{draft_id}/documents/", {"file": pdf(), "question": elsewhere.pk})

    assert assert_error(response, 400, "invalid_question")["fields"] == {
        "question": [response.json()["error"]["message"]]
    }


def test_a_submitted_application_takes_no_documents(resident_client, program):
    application_id = post(resident_client, URL, {"program": program.pk}).json()["id"]

    response = resident_client.post(f"{URL}{application_id}/documents/", {"file": pdf()})

    assert_error(response, 409, "locked")


def test_documents_are_uploaded_as_multipart_only(resident_client, program):
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]

    response = post(resident_client, f"{URL}{draft_id}/documents/", {"file": "JVBERi0="})

    assert_error(response, 415, "unsupported_media_type")


# --- list, detail, cancel ------------------------------------------------------------------------


def test_list_shows_my_applications_only_newest_first(resident_client, resident):
    mine_old = ApplicationFactory(household=resident.household)
    mine_new = ApplicationFactory(household=resident.household, status=S.APPROVED)
    ApplicationFactory()  # someone else's

    response = resident_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [mine_new.pk, mine_old.pk]
    assert set(body["results"][0]) == {
        "id",
        "reference",
        "program",
        "status",
        "status_display",
        "created_at",
        "submitted_at",
        "decided_at",
    }


def test_list_filters_by_status(resident_client, resident):
    approved = ApplicationFactory(household=resident.household, status=S.APPROVED)
    waitlisted = ApplicationFactory(household=resident.household, status=S.WAITLISTED)
    ApplicationFactory(household=resident.household, status=S.CANCELLED)

    one = resident_client.get(URL, {"status": "approved"}).json()["results"]
    two = resident_client.get(f"{URL}?status=approved&status=waitlisted").json()["results"]

    assert [row["id"] for row in one] == [approved.pk]
    assert {row["id"] for row in two} == {approved.pk, waitlisted.pk}
    assert_error(resident_client.get(URL, {"status": "lost"}), 400, "invalid")


def test_list_query_count_is_constant(resident_client, resident, django_assert_num_queries):
    for _ in range(3):
        ApplicationFactory(household=resident.household)
    with django_assert_num_queries(4):  # session, user, count, page (programs joined)
        assert len(resident_client.get(URL).json()["results"]) == 3

    for _ in range(12):
        ApplicationFactory(household=resident.household)
    with django_assert_num_queries(4):
        assert len(resident_client.get(URL).json()["results"]) == 15


def test_another_residents_application_is_a_404_everywhere(resident_client, program, file_question):
    theirs = ApplicationFactory(program=program)
    before = (theirs.status, theirs.answers)

    for response in (
        resident_client.get(f"{URL}{theirs.pk}/"),
        post(resident_client, f"{URL}{theirs.pk}/cancel/"),
        post(resident_client, f"{URL}{theirs.pk}/submit/"),
        post(resident_client, f"{URL}{theirs.pk}/respond/", {"answers": {}}),
        resident_client.post(f"{URL}{theirs.pk}/documents/", {"file": pdf(), "question": file_question.pk}),
    ):
        assert_error(response, 404, "not_found")
    theirs.refresh_from_db()
    assert (theirs.status, theirs.answers) == before
    assert not ApplicationDocument.objects.exists()


def test_a_missing_application_is_a_404(resident_client):
    assert_error(resident_client.get(f"{URL}999999/"), 404, "not_found")


def test_cancel_withdraws_an_undecided_application(resident_client, resident, program):
    application_id = post(resident_client, URL, {"program": program.pk}).json()["id"]

    response = post(resident_client, f"{URL}{application_id}/cancel/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert response.json()["can_cancel"] is False
    assert Application.objects.get(pk=application_id).status == S.CANCELLED


def test_cancelling_twice_or_a_decided_application_is_refused(resident_client, resident):
    cancelled = ApplicationFactory(household=resident.household, status=S.CANCELLED)
    rejected = ApplicationFactory(
        household=resident.household, status=S.REJECTED, decision_reason="소득 기준 초과"
    )

    assert_error(post(resident_client, f"{URL}{cancelled.pk}/cancel/"), 409, "invalid_transition")
    assert_error(post(resident_client, f"{URL}{rejected.pk}/cancel/"), 409, "invalid_transition")
    rejected.refresh_from_db()
    assert rejected.status == S.REJECTED


def test_cancelling_a_draft_discards_it(resident_client, program):
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]

    response = post(resident_client, f"{URL}{draft_id}/cancel/")

    assert response.status_code == 204
    assert not Application.objects.filter(pk=draft_id).exists()
    assert_error(resident_client.get(f"{URL}{draft_id}/"), 404, "not_found")


def test_cancelling_a_draft_removes_its_uploaded_files(
    resident_client, program, file_question, tmp_path, django_capture_on_commit_callbacks
):
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk}).json()["id"]
    resident_client.post(f"{URL}{draft_id}/documents/", {"file": pdf(), "question": file_question.pk})
    assert [p for p in tmp_path.rglob("*") if p.is_file()]

    # Files go once the deletion commits (a rolled-back cancel keeps them).
    with django_capture_on_commit_callbacks(execute=True):
        assert post(resident_client, f"{URL}{draft_id}/cancel/").status_code == 204

    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


# --- answering a request for information ---------------------------------------------------------


@pytest.fixture
def info_requested(resident, program, questions, caseworker_a):
    application = application_submit(user=resident, program=program, answers=full_answers(questions))
    return application_decide(
        application=application, action="request_info", actor=caseworker_a, reason="재직증명서를 올려 주세요."
    )


def test_respond_sends_the_application_back_to_review(resident_client, info_requested, questions):
    number = questions[QuestionKind.NUMBER].field_name
    choice = questions[QuestionKind.CHOICE].field_name

    response = post(resident_client, f"{URL}{info_requested.pk}/respond/", {"answers": {number: 5}})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "under_review"
    assert response.json()["decision_reason"] == "재직증명서를 올려 주세요."
    info_requested.refresh_from_db()
    assert info_requested.status == S.UNDER_REVIEW
    # Only what was sent changes: the other answers stay.
    assert info_requested.answers[number] == 5
    assert info_requested.answers[choice] == "오후"


def test_documents_can_be_added_when_information_is_requested(resident_client, info_requested, file_question):
    response = resident_client.post(
        f"{URL}{info_requested.pk}/documents/", {"file": pdf(), "question": file_question.pk}
    )

    assert response.status_code == 201, response.content
    assert post(resident_client, f"{URL}{info_requested.pk}/respond/").json()["status"] == "under_review"


def test_an_approval_after_an_information_request_has_no_stale_reason(
    resident_client, info_requested, caseworker_a
):
    replied = post(resident_client, f"{URL}{info_requested.pk}/respond/", {"reply": "올렸습니다."})
    assert replied.json()["status"] == "under_review"  # an empty reply would be refused (empty_reply)
    application_decide(application=info_requested, action="approve", actor=caseworker_a)

    body = resident_client.get(f"{URL}{info_requested.pk}/").json()

    assert body["status"] == "approved"
    assert body["decision_reason"] == ""


def test_respond_checks_answer_types(resident_client, info_requested, questions):
    number = questions[QuestionKind.NUMBER].field_name

    response = post(resident_client, f"{URL}{info_requested.pk}/respond/", {"answers": {number: "five"}})

    assert list(assert_error(response, 400, "invalid")["fields"]) == [f"answers.{number}"]
    info_requested.refresh_from_db()
    assert info_requested.status == S.INFO_REQUESTED


def test_respond_when_nothing_was_asked_is_refused(resident_client, program):
    application_id = post(resident_client, URL, {"program": program.pk}).json()["id"]

    assert_error(post(resident_client, f"{URL}{application_id}/respond/"), 409, "invalid_transition")


# --- who may call -------------------------------------------------------------------------------


def test_anonymous_requests_are_refused_with_403(client, program):
    application = ApplicationFactory(program=program)

    for response in (
        client.get(URL),
        client.get(f"{URL}{application.pk}/"),
        post(client, URL, {"program": program.pk}),
        post(client, f"{URL}drafts/", {"program": program.pk}),
        post(client, f"{URL}{application.pk}/cancel/"),
        post(client, f"{URL}{application.pk}/respond/"),
        client.post(f"{URL}{application.pk}/documents/", {"file": pdf()}),
    ):
        assert_error(response, 403, "not_authenticated")
    assert Application.objects.count() == 1


def test_staff_see_no_applications_of_residents_here(client, caseworker_a):
    ApplicationFactory()
    login(client, caseworker_a)

    assert client.get(URL).json()["count"] == 0


def test_an_anonymized_household_cannot_apply(client, program):
    household = HouseholdFactory()
    Household.objects.filter(pk=household.pk).update(anonymized_at=timezone.now())
    login(client, household.user)

    assert_error(post(client, URL, {"program": program.pk}), 400, "profile_incomplete")


def test_posting_a_draft_again_without_answers_keeps_them(resident_client, program, questions):
    number = questions[QuestionKind.NUMBER].field_name
    draft_id = post(resident_client, f"{URL}drafts/", {"program": program.pk, "answers": {number: 2}}).json()[
        "id"
    ]

    again = post(resident_client, f"{URL}drafts/", {"program": program.pk})

    assert again.status_code == 200 and again.json()["id"] == draft_id
    assert again.json()["answers"] == {number: 2}


def test_a_non_numeric_id_is_a_404_in_the_error_format(resident_client):
    assert_error(resident_client.get(f"{URL}abc/"), 404, "not_found")
    assert_error(post(resident_client, f"{URL}abc/cancel/"), 404, "not_found")


def test_the_schema_documents_the_applications_and_inbox_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    paths = schema["paths"]
    for path, method in (
        ("/api/v1/applications/", "post"),
        ("/api/v1/applications/", "get"),
        ("/api/v1/applications/drafts/", "post"),
        ("/api/v1/applications/{id}/", "get"),
        ("/api/v1/applications/{id}/submit/", "post"),
        ("/api/v1/applications/{id}/cancel/", "post"),
        ("/api/v1/applications/{id}/documents/", "post"),
        ("/api/v1/applications/{id}/respond/", "post"),
        ("/api/v1/staff/applications/", "get"),
        ("/api/v1/staff/applications/{id}/", "get"),
        ("/api/v1/staff/applications/{id}/decide/", "post"),
        ("/api/v1/inbox/", "get"),
        ("/api/v1/inbox/{id}/read/", "post"),
        ("/api/v1/inbox/read-all/", "post"),
    ):
        assert method in paths[path], (path, method)
    upload = paths["/api/v1/applications/{id}/documents/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    refusal = paths["/api/v1/applications/"]["post"]["responses"]["400"]
    assert refusal["content"]["application/json"]["schema"]["$ref"].endswith("/ApiError")
    queue = paths["/api/v1/staff/applications/"]["get"]
    assert {p["name"] for p in queue["parameters"]} >= {
        "cursor",
        "program",
        "status",
        "submitted_after",
        "submitted_before",
        "waiting_over_48h",
        "q",
    }
