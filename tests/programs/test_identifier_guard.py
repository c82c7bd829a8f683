"""The personal-identifier guard in programs: answers (page and API, the one answers module), uploaded
files' names, staff's decision reasons and notes; and the data migration that masks old rows."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Application, ApplicationDocument, ApplicationNote, ApplicationStatus, QuestionKind
from programs.services import application_decide, application_submit
from tests.factories import (
    GWANAK,
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    ProgramQuestionFactory,
    district,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
WHY = "Hana never needs"  # the English message says why the text is refused

# As the browser finding typed it: with the dash, without, with a space; and a foreigner's number.
TYPED = [
    pytest.param("제 주민번호는 900101-1234567 입니다", id="dash"),
    pytest.param("제 주민번호는 9001011234567 입니다", id="no-dash"),
    pytest.param("제 주민번호는 900101 1234567 입니다", id="space"),
    pytest.param("외국인등록번호 850505-5234567 입니다", id="foreigner"),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en(resident_client):
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return resident_client


@pytest.fixture
def program():
    program = ProgramFactory(selection_method="review", capacity=10)
    program.text = ProgramQuestionFactory(program=program, kind=QuestionKind.TEXT, label="신청 사유")
    program.number = ProgramQuestionFactory(program=program, kind=QuestionKind.NUMBER, label="거주 기간")
    program.file = ProgramQuestionFactory(program=program, kind=QuestionKind.FILE, label="계약서")
    return program


def post_json(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


# --- answers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_a_text_answer_with_a_registration_number_is_refused_on_the_page_and_nothing_is_lost(
    en, resident, program, typed
):
    response = en.post(
        reverse("programs:apply", args=[program.pk]),
        {program.text.field_name: typed, program.number.field_name: "7", "action": "draft"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert WHY in html and "registration number" in html
    assert 'value="7"' in html  # the other answer is re-displayed
    assert typed.split()[0] in html  # and the refused text too, for the resident to correct
    assert not Application.objects.filter(program=program, answers__has_key=program.text.field_name).exists()


@pytest.mark.parametrize("typed", TYPED)
def test_a_text_answer_with_a_registration_number_is_refused_by_the_api(en, resident, program, typed):
    response = post_json(
        en,
        "/api/v1/applications/drafts/",
        {"program": program.pk, "answers": {program.text.field_name: typed}},
    )

    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert list(fields) == [f"answers.{program.text.field_name}"]
    assert WHY in fields[f"answers.{program.text.field_name}"][0]
    assert not Application.objects.filter(program=program).exclude(answers={}).exists()


def test_ordinary_numbers_in_an_answer_are_accepted(en, resident, program):
    text = "연락처 010-1234-5678, 보증금 120000000원, 계약 2026-03-01"
    response = post_json(
        en,
        "/api/v1/applications/drafts/",
        {"program": program.pk, "answers": {program.text.field_name: text}},
    )

    assert response.status_code == 201, response.content
    assert Application.objects.get(program=program).answers[program.text.field_name] == text


# --- uploaded files' names ---------------------------------------------------------------------------


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_file_named_with_a_registration_number_is_refused_on_the_page(en, resident, program):
    response = en.post(
        reverse("programs:apply", args=[program.pk]),
        {
            program.text.field_name: "혼자 삽니다",
            program.number.field_name: "7",
            program.file.field_name: pdf("계약서_900101-1234567.pdf"),
            "action": "draft",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "rename the file" in html and WHY in html
    assert 'value="7"' in html and "혼자 삽니다" in html
    assert not ApplicationDocument.objects.exists()


@pytest.mark.parametrize("name", ["등본 9001011234567.pdf", "등본 900101 6234567.pdf"])
def test_a_file_named_with_a_registration_number_is_refused_by_the_api(en, resident, program, name):
    draft = post_json(en, "/api/v1/applications/drafts/", {"program": program.pk, "answers": {}})
    draft_id = draft.json()["id"]

    response = en.post(
        f"/api/v1/applications/{draft_id}/documents/", {"file": pdf(name), "question": program.file.pk}
    )

    assert response.status_code == 400, response.content
    assert "rename the file" in response.json()["error"]["message"]
    assert not ApplicationDocument.objects.exists()
    ok = en.post(f"/api/v1/applications/{draft_id}/documents/", {"file": pdf("주민등록등본.pdf")})
    assert ok.status_code == 201, ok.content


# --- staff: decision reasons and notes -----------------------------------------------------------------


@pytest.fixture
def caseworker_client(client, caseworker_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return login(client, caseworker_a)


def submitted(program) -> Application:
    household = HouseholdFactory(district=district(GWANAK))
    return ApplicationFactory(program=program, household=household, status=S.SUBMITTED)


@pytest.mark.parametrize("typed", TYPED)
def test_a_decision_reason_with_a_registration_number_is_refused_by_the_api(caseworker_client, typed):
    application = submitted(ProgramFactory(selection_method="review", district=district(GWANAK)))

    response = post_json(
        caseworker_client,
        f"/api/v1/staff/applications/{application.pk}/decide/",
        {"action": "reject", "reason": typed},
    )

    assert response.status_code == 400, response.content
    assert WHY in response.json()["error"]["fields"]["reason"][0]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.decision_reason == ""


@pytest.mark.parametrize("typed", TYPED)
def test_a_decision_reason_with_a_registration_number_is_refused_in_the_admin(caseworker_client, typed):
    application = submitted(ProgramFactory(selection_method="review", district=district(GWANAK)))

    response = caseworker_client.post(
        reverse("admin:programs_application_changelist"),
        {"action": "reject_selected", "_selected_action": [application.pk], "post": "yes", "reason": typed},
    )

    assert response.status_code == 200
    assert WHY in response.context["form"].errors["reason"][0]
    assert typed in response.content.decode()  # re-displayed for the caseworker to correct
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def note_formset(client, row) -> dict:
    """The notes inline as an unchanged change form would post it."""
    response = client.get(reverse("admin:programs_application_change", args=[row.pk]))
    data: dict = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = "" if bound.value() is None else str(bound.value())
        for form in formset.forms:
            for bound in form:
                value = bound.value()
                data[bound.html_name] = "" if value is None else str(value)
    return data


@pytest.mark.parametrize("typed", TYPED)
def test_a_staff_note_with_a_registration_number_is_refused_in_the_admin(caseworker_client, typed):
    application = submitted(ProgramFactory(selection_method="review", district=district(GWANAK)))
    data = note_formset(caseworker_client, application)
    data["notes-0-body"] = typed

    response = caseworker_client.post(
        reverse("admin:programs_application_change", args=[application.pk]), data
    )

    assert response.status_code == 200
    assert WHY in response.content.decode()
    assert not ApplicationNote.objects.exists()


def test_the_model_fields_carry_the_guard():
    for model, field in (
        (Application, "decision_reason"),
        (ApplicationDocument, "original_name"),
        (ApplicationNote, "body"),
    ):
        with pytest.raises(ValidationError):
            model._meta.get_field(field).run_validators("900101-1234567")


# --- the data migration --------------------------------------------------------------------------------


def test_the_migration_masks_identifiers_already_stored_and_says_how_many(caseworker_a, program, capsys):
    application = ApplicationFactory(
        program=program,
        status=S.REJECTED,
        answers={program.text.field_name: "제 번호 900101-1234567", program.number.field_name: 9001011234567},
        decision_reason="주민번호 850505 2345678 확인 필요",
    )
    clean = ApplicationFactory(
        program=ProgramFactory(), answers={"x": "010-1234-5678"}, decision_reason="서류 미비"
    )
    ApplicationNote.objects.create(application=application, author=caseworker_a, body="9001011234567 적힘")
    document = ApplicationDocument.objects.create(
        application=application,
        file="x.pdf",
        original_name="900101-5234567.pdf",
        content_type="application/pdf",
        size=1,
    )
    migration = importlib.import_module("programs.migrations.0008_identifier_guard")

    migration.mask_identifiers(django_apps, None)

    application.refresh_from_db()
    assert application.answers == {
        program.text.field_name: "제 번호 900101-1******",
        program.number.field_name: 9001011234567,  # a number answer is not text
    }
    assert application.decision_reason == "주민번호 850505 2****** 확인 필요"
    assert ApplicationNote.objects.get().body == "9001011****** 적힘"
    document.refresh_from_db()
    assert document.original_name == "900101-5******.pdf"
    clean.refresh_from_db()
    assert clean.answers == {"x": "010-1234-5678"} and clean.decision_reason == "서류 미비"
    output = capsys.readouterr().out
    assert "programs: registration numbers masked in" in output
    assert "Application 1" in output and "ApplicationNote 1" in output and "ApplicationDocument 1" in output


# --- answering an information request --------------------------------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_a_reply_to_an_information_request_with_a_registration_number_is_refused(
    en, resident, program, caseworker_a, typed
):
    program.file.delete()  # submitted in one step: no file question
    application = application_submit(
        user=resident,
        program=program,
        answers={program.text.field_name: "혼자 삽니다", program.number.field_name: 3},
    )
    application_decide(
        application=application, action="request_info", actor=caseworker_a, reason="사유를 더 적어 주세요."
    )

    response = post_json(
        en, f"/api/v1/applications/{application.pk}/respond/", {"answers": {program.text.field_name: typed}}
    )

    assert response.status_code == 400, response.content
    assert WHY in response.json()["error"]["fields"][f"answers.{program.text.field_name}"][0]
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert application.answers[program.text.field_name] == "혼자 삽니다"
