"""A request for more information is an exchange: the caseworker's question, the resident's reply (text,
documents that answer no particular question, changed answers), on the web and over the API; the
application returns to review, the caseworker who asked is told once, and every round is kept."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.identifiers import FILE_NAME_MESSAGE, IDENTIFIER_MESSAGE
from portal.models import AuditEvent, Notification
from programs.models import Application, ApplicationStatus, InformationRequest, QuestionKind
from programs.services import (
    ApplicationError,
    application_cancel,
    application_decide,
    application_provide_info,
    application_submit,
)
from tests.factories import (
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    ProgramQuestionFactory,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
PDF = b"%PDF-1.4\n% proof\n%%EOF\n"
RRN = "900101-1234567"
QUESTION = "재직증명서를 올려 주세요."
API = "/api/v1/applications/"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en(resident_client):
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return resident_client


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def detail_url(application) -> str:
    return reverse("programs:application_detail", args=[application.pk])


def ask(application, caseworker, question: str = QUESTION) -> Application:
    return application_decide(
        application=application, action="request_info", actor=caseworker, reason=question
    )


@pytest.fixture
def program():
    """A program with no questions: the reply text and documents are all there is to send."""
    return ProgramFactory(selection_method="review")


@pytest.fixture
def asked(resident, program, caseworker_a) -> Application:
    application = application_submit(user=resident, program=program)
    application.refresh_from_db()
    return ask(application, caseworker_a)


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, template="application.info_provided"))


# --- the service -------------------------------------------------------------------------------------


def test_request_info_opens_a_round_with_the_question_and_who_asked(asked, caseworker_a):
    round_ = InformationRequest.objects.get(application=asked)

    assert (round_.question, round_.asked_by, round_.is_open) == (QUESTION, caseworker_a, True)


def test_a_reply_closes_the_round_returns_to_review_audits_and_tells_the_asker_once(
    resident, asked, caseworker_a
):
    application_provide_info(user=resident, application=asked, reply="첨부했습니다.", uploads=[pdf()])

    asked.refresh_from_db()
    assert asked.status == S.UNDER_REVIEW
    round_ = InformationRequest.objects.get(application=asked)
    assert round_.reply == "첨부했습니다." and round_.replied_at and not round_.is_open
    document = asked.documents.get()
    assert document.question is None and document.information_request == round_
    event = AuditEvent.objects.get(action="programs.application.info_provided")
    assert event.data["information_request"] == round_.pk and event.data["documents"] == [document.pk]
    assert AuditEvent.objects.filter(action="programs.application.under_review").exists()
    notes = told(caseworker_a)
    assert len(notes) == 1 and notes[0].channel == Notification.Channel.IN_APP
    assert asked.reference in notes[0].context["reference"]


def test_several_rounds_are_kept_in_order(resident, asked, caseworker_a):
    application_provide_info(user=resident, application=asked, reply="첫 답변")
    ask(asked, caseworker_a, "통장 사본도 필요합니다.")
    application_provide_info(user=resident, application=asked, reply="둘째 답변")

    rounds = list(InformationRequest.objects.filter(application=asked).values_list("question", "reply"))
    assert rounds == [(QUESTION, "첫 답변"), ("통장 사본도 필요합니다.", "둘째 답변")]
    assert len(told(caseworker_a)) == 2  # once per reply


def test_an_empty_reply_is_refused_and_nothing_changes(resident, asked):
    with pytest.raises(ApplicationError) as refused:
        application_provide_info(user=resident, application=asked, reply="   ")

    assert refused.value.code == "empty_reply" and refused.value.field == "reply"
    asked.refresh_from_db()
    assert asked.status == S.INFO_REQUESTED
    assert InformationRequest.objects.get(application=asked).is_open


def test_a_decision_without_a_reply_closes_the_round_unanswered(resident, asked, caseworker_a):
    application_decide(application=asked, action="approve", actor=caseworker_a)

    round_ = InformationRequest.objects.get(application=asked)
    assert round_.closed_at and not round_.replied_at


def test_cancelling_closes_the_round(resident, asked):
    application_cancel(user=resident, application=asked)

    assert not InformationRequest.objects.get(application=asked).is_open


def test_when_the_asker_left_the_districts_caseworkers_are_told(resident, asked, caseworker_a, caseworker_b):
    from portal.roles import user_set_role
    from tests.factories import UserFactory, district

    colleague = user_set_role(user=UserFactory(), role="caseworker", district=district("11620"))
    caseworker_a.is_active = False
    caseworker_a.save(update_fields=["is_active"])

    application_provide_info(user=resident, application=asked, reply="답변")

    assert len(told(colleague)) == 1
    assert told(caseworker_a) == [] and told(caseworker_b) == []  # another district's never


# --- the resident's page ---------------------------------------------------------------------------


def test_the_page_shows_the_question_a_labelled_text_box_and_a_multi_file_input(en, asked):
    html = en.get(detail_url(asked)).content.decode()

    assert QUESTION in html
    assert '<label class="label" for="id_reply">Your reply' in html
    assert 'name="reply"' in html and "<textarea" in html
    assert 'type="file" name="files"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_web_reply_with_text_and_two_documents(en, asked, caseworker_a):
    response = en.post(
        detail_url(asked), {"reply": "서류 두 장입니다.", "files": [pdf("a.pdf"), pdf("b.pdf")]}
    )

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == S.UNDER_REVIEW
    round_ = InformationRequest.objects.get(application=asked)
    assert round_.reply == "서류 두 장입니다."
    assert sorted(round_.documents.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]
    assert len(told(caseworker_a)) == 1
    page = en.get(response["Location"]).content.decode()
    assert "Earlier requests for information" in page and "서류 두 장입니다." in page and QUESTION in page


def test_an_empty_web_reply_is_refused_in_the_error_summary(en, asked):
    response = en.post(detail_url(asked), {"reply": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#id_reply"' in html
    assert "an empty reply was not sent" in html
    asked.refresh_from_db()
    assert asked.status == S.INFO_REQUESTED


def test_a_registration_number_in_the_web_reply_is_refused_and_the_text_kept(en, asked):
    typed = f"제 번호는 {RRN} 입니다"

    response = en.post(detail_url(asked), {"reply": typed})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hana never needs it" in html
    assert typed in html  # kept in the box to correct
    asked.refresh_from_db()
    assert asked.status == S.INFO_REQUESTED


def test_a_registration_number_in_a_file_name_is_refused_on_the_web(en, asked):
    response = en.post(detail_url(asked), {"reply": "첨부합니다", "files": [pdf(f"{RRN}.pdf")]})

    html = response.content.decode()
    assert response.status_code == 200
    assert "rename the file" in html
    assert "첨부합니다" in html
    assert not asked.documents.exists()


def test_a_good_file_is_kept_when_another_is_refused_on_the_web(en, asked):
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")

    response = en.post(detail_url(asked), {"reply": "두 장", "files": [pdf("good.pdf"), bad]})

    html = response.content.decode()
    assert response.status_code == 200 and "virus.exe" in html
    assert list(asked.documents.values_list("original_name", flat=True)) == ["good.pdf"]
    assert "Already added to this reply" in html and "good.pdf" in html
    # Sending again, with just the text, completes the reply with the kept document.
    assert en.post(detail_url(asked), {"reply": "두 장"}).status_code == 302
    assert InformationRequest.objects.get(application=asked).documents.count() == 1


def test_changing_an_answer_alone_is_a_reply(en, resident, caseworker_a):
    program = ProgramFactory(selection_method="review")
    note = ProgramQuestionFactory(program=program, label="설명", label_en="Details", required=False)
    application = application_submit(user=resident, program=program, answers={note.field_name: "처음"})
    ask(application, caseworker_a)

    assert "Details" in en.get(detail_url(application)).content.decode()
    response = en.post(detail_url(application), {"reply": "", note.field_name: "고쳤습니다"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW and application.answers[note.field_name] == "고쳤습니다"
    assert InformationRequest.objects.get(application=application).changed_answers == [note.field_name]


def test_the_page_of_another_residents_application_is_404(en, caseworker_a):
    theirs = ApplicationFactory(status=S.INFO_REQUESTED, decision_reason=QUESTION)

    assert en.get(detail_url(theirs)).status_code == 404
    assert en.post(detail_url(theirs), {"reply": "남의 신청"}).status_code == 404


def test_a_web_reply_when_nothing_is_asked_changes_nothing(en, resident, program):
    application = application_submit(user=resident, program=program)
    application.refresh_from_db()
    # The page offers no form then; a stale tab posting anyway gets the page, not a 500.
    response = en.post(detail_url(application), {"reply": "늦은 답변"})
    assert response.status_code == 200 and "늦은 답변" not in response.content.decode()
    assert not InformationRequest.objects.exists()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_an_application_moved_there_without_a_round_still_takes_a_reply(en, resident, program):
    application = ApplicationFactory(
        program=program,
        household=resident.household,
        status=S.INFO_REQUESTED,
        decision_reason="옛 요청",
    )

    assert "옛 요청" in en.get(detail_url(application)).content.decode()
    assert en.post(detail_url(application), {"reply": "답변"}).status_code == 302
    assert InformationRequest.objects.get(application=application).question == "옛 요청"


# --- staff ---------------------------------------------------------------------------------------


def test_reply_documents_download_for_staff_of_the_district_only_and_logged(
    client, resident, asked, caseworker_a, caseworker_b
):
    application_provide_info(user=resident, application=asked, reply="첨부", uploads=[pdf()])
    document = asked.documents.get()
    url = reverse("programs:document_download", args=[document.pk])

    assert login(client, caseworker_b).get(url).status_code == 404
    response = login(client, caseworker_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="programs.document.viewed", actor=caseworker_a).count() == 1


def test_the_admin_page_shows_the_exchange_with_download_links(client, resident, asked, caseworker_a):
    application_provide_info(user=resident, application=asked, reply="재직증명서 첨부", uploads=[pdf()])
    document = asked.documents.get()

    html = (
        login(client, caseworker_a)
        .get(reverse("admin:programs_application_change", args=[asked.pk]))
        .content.decode()
    )

    assert QUESTION in html and "재직증명서 첨부" in html
    assert reverse("programs:document_download", args=[document.pk]) in html


def test_the_staff_api_shows_the_replies(client, resident, asked, caseworker_a):
    application_provide_info(user=resident, application=asked, reply="답변입니다", uploads=[pdf()])

    body = login(client, caseworker_a).get(f"/api/v1/staff/applications/{asked.pk}/").json()

    [round_] = body["information_requests"]
    assert round_["question"] == QUESTION and round_["reply"] == "답변입니다"
    assert round_["asked_by"] == str(caseworker_a) and len(round_["documents"]) == 1


# --- the resident's API ----------------------------------------------------------------------------


def post_json(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["status"] == status
    return error


def test_the_api_shows_the_open_question(resident_client, asked):
    body = resident_client.get(f"{API}{asked.pk}/").json()

    assert body["information_request"]["question"] == QUESTION
    assert body["information_request"]["is_open"] is True
    assert [r["question"] for r in body["information_requests"]] == [QUESTION]


def test_an_api_reply_in_json(resident_client, asked, caseworker_a):
    response = post_json(resident_client, f"{API}{asked.pk}/respond/", {"reply": "JSON 답변"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "under_review" and body["information_request"] is None
    assert body["information_requests"][0]["reply"] == "JSON 답변"
    assert len(told(caseworker_a)) == 1


def test_an_api_reply_in_multipart_with_documents_and_answers(resident_client, resident, caseworker_a):
    program = ProgramFactory(selection_method="review")
    count = ProgramQuestionFactory(program=program, kind=QuestionKind.NUMBER, required=False)
    application = application_submit(user=resident, program=program, answers={count.field_name: 1})
    ask(application, caseworker_a)

    response = resident_client.post(
        f"{API}{application.pk}/respond/",
        {
            "reply": "파일 두 개",
            "answers": json.dumps({count.field_name: 2}),
            "files": [pdf("one.pdf"), pdf("two.pdf")],
        },
    )

    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.answers[count.field_name] == 2
    [round_] = response.json()["information_requests"]
    assert sorted(d["name"] for d in round_["documents"]) == ["one.pdf", "two.pdf"]
    assert all(d["question"] is None for d in round_["documents"])


def test_an_empty_api_reply_is_refused(resident_client, asked):
    error = error_of(post_json(resident_client, f"{API}{asked.pk}/respond/", {}), 400, "empty_reply")

    assert list(error["fields"]) == ["reply"]
    asked.refresh_from_db()
    assert asked.status == S.INFO_REQUESTED


def test_a_document_uploaded_first_counts_as_the_reply(resident_client, asked):
    assert resident_client.post(f"{API}{asked.pk}/documents/", {"file": pdf()}).status_code == 201

    assert post_json(resident_client, f"{API}{asked.pk}/respond/", {}).json()["status"] == "under_review"
    assert InformationRequest.objects.get(application=asked).documents.count() == 1


def test_a_registration_number_in_an_api_reply_or_file_name_is_refused(resident_client, asked):
    error = error_of(post_json(resident_client, f"{API}{asked.pk}/respond/", {"reply": RRN}), 400, "invalid")
    assert error["fields"]["reply"] == [str(IDENTIFIER_MESSAGE)]

    response = resident_client.post(
        f"{API}{asked.pk}/respond/", {"reply": "첨부", "files": [pdf(f"{RRN}.pdf")]}
    )
    error = error_of(response, 400, "invalid_file")
    assert str(FILE_NAME_MESSAGE) in error["fields"]["files"][0]
    assert not asked.documents.exists()
    asked.refresh_from_db()
    assert asked.status == S.INFO_REQUESTED


def test_bad_answers_json_in_multipart_is_a_400(resident_client, asked):
    response = resident_client.post(f"{API}{asked.pk}/respond/", {"reply": "x", "answers": "{not json"})

    assert list(error_of(response, 400, "invalid")["fields"]) == ["answers"]


def test_replying_to_another_residents_application_is_404(resident_client, caseworker_a):
    theirs = application_submit(
        user=HouseholdFactory().user, program=ProgramFactory(selection_method="review")
    )
    ask(theirs, caseworker_a)

    error_of(post_json(resident_client, f"{API}{theirs.pk}/respond/", {"reply": "남의 것"}), 404, "not_found")
    assert InformationRequest.objects.get(application=theirs).is_open


def test_replying_when_nothing_is_asked_is_409(resident_client, resident, program):
    application = application_submit(user=resident, program=program)

    error_of(
        post_json(resident_client, f"{API}{application.pk}/respond/", {"reply": "답"}),
        409,
        "invalid_transition",
    )


def test_the_schema_documents_a_multipart_reply_with_binary_files(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    body = schema["paths"]["/api/v1/applications/{id}/respond/"]["post"]["requestBody"]["content"]
    assert set(body) >= {"application/json", "multipart/form-data"}
    ref = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    files = schema["components"]["schemas"][ref]["properties"]["files"]
    assert files["type"] == "array" and files["items"]["format"] == "binary"


def test_a_reply_that_is_not_a_json_object_is_a_400(resident_client, asked):
    response = resident_client.post(f"{API}{asked.pk}/respond/", "[1, 2]", content_type="application/json")

    error_of(response, 400, "invalid")
    asked.refresh_from_db()
    assert asked.status == S.INFO_REQUESTED


def test_the_migration_opens_a_round_for_applications_already_waiting(asked, caseworker_a):
    import importlib

    from django.apps import apps as django_apps

    InformationRequest.objects.all().delete()  # as before the migration: only decision_reason says it
    untouched = ApplicationFactory(status=S.UNDER_REVIEW)
    migration = importlib.import_module("programs.migrations.0009_information_requests")

    migration.open_requests_for_waiting_applications(django_apps, None)

    round_ = InformationRequest.objects.get()
    assert (round_.application, round_.question, round_.asked_by) == (asked, QUESTION, caseworker_a)
    assert round_.is_open and not untouched.information_requests.exists()
