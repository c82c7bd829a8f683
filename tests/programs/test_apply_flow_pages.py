"""The resident's apply flow: question page, check your answers, confirmation; drafts and refusals."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from households.models import Consent
from programs.models import Application, ApplicationStatus, QuestionKind
from programs.services import application_submit
from tests.factories import ProgramFactory, ProgramQuestionFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en(resident_client):
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return resident_client


@pytest.fixture
def program():
    program = ProgramFactory(selection_method="first_come", capacity=10, title_en="Youth meal kits")
    q = {
        "text": ProgramQuestionFactory(
            program=program, kind=QuestionKind.TEXT, label="신청 사유", label_en="Why do you apply?"
        ),
        "number": ProgramQuestionFactory(
            program=program, kind=QuestionKind.NUMBER, label="거주 기간(년)", label_en="Years in the district"
        ),
        "choice": ProgramQuestionFactory(
            program=program,
            kind=QuestionKind.CHOICE,
            label="희망 시간대",
            label_en="Preferred time",
            choices=["오전", "오후"],
        ),
        "yes_no": ProgramQuestionFactory(
            program=program, kind=QuestionKind.YES_NO, label="차량 보유", label_en="Do you own a car?"
        ),
        "date": ProgramQuestionFactory(
            program=program, kind=QuestionKind.DATE, label="전입일", label_en="Date you moved in"
        ),
        "file": ProgramQuestionFactory(
            program=program, kind=QuestionKind.FILE, label="임대차계약서", label_en="Tenancy contract"
        ),
        "optional": ProgramQuestionFactory(
            program=program,
            kind=QuestionKind.TEXT,
            label="기타",
            label_en="Anything else?",
            required=False,
        ),
    }
    program.q = q
    return program


def apply_url(program) -> str:
    return reverse("programs:apply", args=[program.pk])


def check_url(program) -> str:
    return reverse("programs:apply_check", args=[program.pk])


def answers(program, **overrides) -> dict:
    q = program.q
    data = {
        q["text"].field_name: "혼자 살아서 식사 준비가 어렵습니다",
        q["number"].field_name: "3",
        q["choice"].field_name: "오후",
        q["yes_no"].field_name: "no",
        q["date"].field_name: "2024-03-01",
        q["optional"].field_name: "",
        "action": "continue",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def pdf(name="계약서.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def draft_of(user, program) -> Application | None:
    return Application.objects.filter(program=program, household__user=user, status=S.DRAFT).first()


def test_full_flow_from_questions_to_confirmation(en, resident, program, django_capture_on_commit_callbacks):
    page = en.get(apply_url(program))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    for question in program.q.values():
        assert question.label_en in html
    assert "<legend" in html  # radios grouped under a legend

    file_field = program.q["file"].field_name
    response = en.post(apply_url(program), answers(program, **{file_field: pdf()}))
    assert response.status_code == 302
    assert response["Location"] == check_url(program)

    check = en.get(check_url(program))
    html = check.content.decode()
    assert check.status_code == 200
    assert "혼자 살아서 식사 준비가 어렵습니다" in html
    assert "2024.03.01" in html and "오후" in html and "계약서.pdf" in html
    assert f'href="{apply_url(program)}#id_{program.q["text"].field_name}"' in html
    assert f'#id_{program.q["choice"].field_name}_0"' in html
    assert "김하나" in html  # the household facts the decision will use
    assert reverse("households:profile_edit") in html
    assert "Submit application" in html

    with django_capture_on_commit_callbacks(execute=True):
        submitted = en.post(check_url(program))
    application = Application.objects.get(program=program, household__user=resident)
    assert submitted.status_code == 302
    assert submitted["Location"] == reverse("programs:application_submitted", args=[application.pk])
    assert application.answers == {
        program.q["text"].field_name: "혼자 살아서 식사 준비가 어렵습니다",
        program.q["number"].field_name: 3,
        program.q["choice"].field_name: "오후",
        program.q["yes_no"].field_name: "no",
        program.q["date"].field_name: "2024-03-01",
    }
    assert application.documents.get().original_name == "계약서.pdf"

    confirmation = en.get(submitted["Location"]).content.decode()
    assert re.search(r"HN-\d{4}-\d{6}", confirmation)
    assert application.reference in confirmation
    assert "What happens next" in confirmation
    assert "order of arrival" in confirmation
    assert "Your application is approved." in confirmation  # first come: decided at once
    assert "In-app inbox" in confirmation


def test_a_missing_required_answer_keeps_every_other_answer(en, resident, program):
    file_field = program.q["file"].field_name
    response = en.post(
        apply_url(program), answers(program, **{program.q["text"].field_name: "", file_field: pdf()})
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'href="#id_{program.q["text"].field_name}"' in html
    assert "Answer this question." in html
    assert 'value="3"' in html and 'value="2024-03-01"' in html
    assert re.search(r'value="오후"[^>]*checked', html)
    # The valid file was kept on the draft and is listed, so it need not be chosen again.
    assert "Uploaded:" in html and "계약서.pdf" in html
    draft = draft_of(resident, program)
    assert draft.documents.count() == 1
    assert draft.answers[program.q["number"].field_name] == 3

    # Fixing the answer without choosing the file again is enough.
    fixed = en.post(apply_url(program), answers(program))
    assert fixed.status_code == 302
    assert fixed["Location"] == check_url(program)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
            "Upload a PDF, JPG, PNG or HWP",
        ),
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * 2000, content_type="application/pdf"),
            "larger than 10 MB",
        ),
        (
            SimpleUploadedFile("fake.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf"),
            "does not match",
        ),
        (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "empty"),
    ],
    ids=["wrong-type", "too-big", "fake-pdf-header", "empty"],
)
def test_a_rejected_file_keeps_the_other_answers_and_the_first_file(
    en, resident, program, monkeypatch, upload, message
):
    monkeypatch.setattr("programs.answers.MAX_UPLOAD_BYTES", 1000)
    file_field = program.q["file"].field_name
    assert en.post(apply_url(program), answers(program, **{file_field: pdf("first.pdf")})).status_code == 302

    response = en.post(
        apply_url(program), answers(program, **{program.q["number"].field_name: "7", file_field: upload})
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert message in html
    assert f'href="#id_{file_field}"' in html
    assert 'value="7"' in html and "혼자 살아서 식사 준비가 어렵습니다" in html
    assert "Uploaded:" in html and "first.pdf" in html
    draft = draft_of(resident, program)
    assert [d.original_name for d in draft.documents.all()] == ["first.pdf"]
    assert draft.answers[program.q["number"].field_name] == 7


def test_a_new_file_replaces_the_one_uploaded_before(en, resident, program):
    file_field = program.q["file"].field_name
    en.post(apply_url(program), answers(program, **{file_field: pdf("first.pdf")}))
    png = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    assert en.post(apply_url(program), answers(program, **{file_field: png})).status_code == 302
    assert [d.original_name for d in draft_of(resident, program).documents.all()] == ["scan.png"]


def test_save_as_draft_and_leave_then_return_prefilled(en, resident, program):
    text = program.q["text"].field_name
    response = en.post(
        apply_url(program),
        {text: "나중에 마저 쓸게요", program.q["yes_no"].field_name: "yes", "action": "draft"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:application_list")
    listing = en.get(response["Location"]).content.decode()
    assert "Your draft is saved" in listing
    assert "Continue" in listing

    again = en.get(apply_url(program)).content.decode()
    assert "나중에 마저 쓸게요" in again
    assert re.search(r'value="yes"[^>]*checked', again)
    # And the program page offers to carry on.
    assert "Continue your application" in en.get(program.get_absolute_url()).content.decode()


def test_draft_saves_what_is_valid_and_reports_the_rest(en, resident, program):
    text, number = program.q["text"].field_name, program.q["number"].field_name
    response = en.post(apply_url(program), {text: "유효한 답", number: "abc", "action": "draft"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Your other answers are saved" in html
    assert 'value="abc"' in html  # the malformed input is shown back, not lost
    assert draft_of(resident, program).answers == {text: "유효한 답"}


def test_malformed_values_get_field_errors(en, resident, program):
    q = program.q
    response = en.post(
        apply_url(program),
        answers(
            program,
            **{
                q["date"].field_name: "2026-13-45",
                q["number"].field_name: "abc",
                q["choice"].field_name: "밤",
                q["yes_no"].field_name: "maybe",
            },
        ),
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Enter a real date" in html
    assert "Enter a number." in html
    # Each message twice: in the error summary and next to its field.
    assert html.count("Select one of the options.") == 2
    assert html.count("Select yes or no.") == 2
    for name in (q["date"].field_name, q["number"].field_name):
        assert f'href="#id_{name}"' in html
    assert f'href="#id_{q["choice"].field_name}_0"' in html
    assert 'value="2026-13-45"' in html


def test_check_page_lists_missing_answers_and_refuses_to_submit(en, resident, program):
    en.post(apply_url(program), {program.q["text"].field_name: "일부만", "action": "draft"})
    page = en.get(check_url(program))
    html = page.content.decode()

    assert "There is a problem" in html
    assert "Upload this document." in html
    assert "Submit application" not in html
    en.post(check_url(program))
    assert draft_of(resident, program) is not None
    assert not Application.objects.exclude(status=S.DRAFT).exists()


def test_check_page_without_a_draft_goes_back_to_the_questions(en, program):
    response = en.get(check_url(program))
    assert response.status_code == 302
    assert response["Location"] == apply_url(program)


def test_program_without_questions_goes_straight_to_check_and_submit(
    en, resident, django_capture_on_commit_callbacks
):
    program = ProgramFactory(selection_method="review")
    page = en.get(apply_url(program)).content.decode()
    assert "asks no extra questions" in page
    assert en.post(apply_url(program), {"action": "continue"})["Location"] == check_url(program)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(check_url(program))
    confirmation = en.get(response["Location"]).content.decode()
    assert "within 48 hours" in confirmation


def test_lottery_confirmation_names_the_draw_date(en, resident, django_capture_on_commit_callbacks):
    end = timezone.localdate() + timedelta(days=10)
    program = ProgramFactory(selection_method="lottery", application_end=end)
    en.post(apply_url(program), {"action": "continue"})
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(check_url(program))
    confirmation = en.get(response["Location"]).content.decode()
    assert "drawn by lot" in confirmation
    assert end.strftime("%Y.%m.%d") in confirmation


def test_applying_twice_is_refused_with_a_link_to_the_application(en, resident, committed):
    program = ProgramFactory(selection_method="review")
    application = committed(application_submit, user=resident, program=program)
    detail = reverse("programs:application_detail", args=[application.pk])

    for response in (en.get(apply_url(program)), en.post(apply_url(program), {"action": "continue"})):
        html = response.content.decode()
        assert response.status_code == 200
        assert "You have already applied to this program" in html
        assert detail in html
    assert detail in en.get(program.get_absolute_url()).content.decode()
    assert Application.objects.filter(program=program).count() == 1


def test_a_second_submit_of_the_check_page_is_refused_not_duplicated(
    en, resident, program, django_capture_on_commit_callbacks
):
    en.post(apply_url(program), answers(program, **{program.q["file"].field_name: pdf()}))
    with django_capture_on_commit_callbacks(execute=True):
        en.post(check_url(program))
    again = en.post(check_url(program))
    assert again.status_code == 200
    assert "You have already applied to this program" in again.content.decode()
    assert Application.objects.filter(program=program).count() == 1


def test_closed_program_is_refused(en):
    past = timezone.localdate() - timedelta(days=1)
    program = ProgramFactory(application_start=past - timedelta(days=30), application_end=past)

    response = en.get(apply_url(program))
    assert response.status_code == 200
    assert "not open now" in response.content.decode()
    assert en.post(check_url(program)).status_code == 200
    detail = en.get(program.get_absolute_url()).content.decode()
    assert "Applications for this program are not open now." in detail
    assert apply_url(program) not in detail


def test_incomplete_profile_is_refused_with_a_link_to_the_profile(client):
    user = UserFactory()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    program = ProgramFactory()

    for response in (client.get(apply_url(program)), client.post(apply_url(program), {"action": "draft"})):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Complete your household profile" in html
        assert reverse("households:profile_edit") in html
    assert not Application.objects.exists()


def test_withdrawn_profile_consent_is_refused(en, resident):
    Consent.objects.filter(user=resident).update(withdrawn_at=timezone.now())
    response = en.get(apply_url(ProgramFactory()))
    assert "Complete your household profile" in response.content.decode()


def test_program_page_offers_to_apply(en, program):
    assert apply_url(program) in en.get(program.get_absolute_url()).content.decode()
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    anonymous = visitor.get(program.get_absolute_url()).content.decode()
    assert "Log in to apply online" in anonymous


def test_apply_needs_login_and_a_public_program(en):
    program = ProgramFactory()
    response = Client().get(apply_url(program))
    assert response.status_code == 302
    assert reverse("households:login") in response["Location"]
    assert en.get(reverse("programs:apply", args=[999999])).status_code == 404
    assert en.get(apply_url(ProgramFactory(status="draft"))).status_code == 404
