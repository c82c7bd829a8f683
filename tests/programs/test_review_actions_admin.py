"""Deciding applications in the admin: bulk actions and change-page buttons, both through a confirmation
page and application_decide; notes through application_note_add; the access log of the change page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Notification
from programs.admin.decisions import DECISIONS
from programs.models import ApplicationDocument, ApplicationNote, ApplicationStatus, QuestionKind
from tests.factories import (
    GWANAK,
    JUNGGU,
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    ProgramQuestionFactory,
    district,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus

CHANGELIST = reverse("admin:programs_application_changelist")
CONFIRMATION = "admin/programs/application/decision_confirmation.html"


def change_url(application) -> str:
    return reverse("admin:programs_application_change", args=[application.pk])


def decide_url(application, action: str) -> str:
    return reverse("admin:programs_application_decide", args=[application.pk, action])


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def caseworker_client(client, caseworker_a, settings):
    # English pages, so that the service's messages can be compared as written.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return login(client, caseworker_a)


@pytest.fixture
def program():
    return ProgramFactory(title="관악 청년 소셜다이닝", district=district(GWANAK), capacity=10)


def application(program, status=S.SUBMITTED, **kwargs):
    household = HouseholdFactory(name=kwargs.pop("name", "김하나"), district=district(GWANAK))
    return ApplicationFactory(program=program, household=household, status=status, **kwargs)


def choose(client, action: str, applications):
    """The changelist's action bar: pick an action for the ticked rows and press "Go"."""
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [a.pk for a in applications], "index": "0"}
    )


def confirm(client, action: str, applications, **data):
    """The confirmation page's form, posted back to the changelist."""
    payload = {"action": action, "_selected_action": [a.pk for a in applications], "post": "yes", **data}
    return client.post(CHANGELIST, payload)


# --- the confirmation page -------------------------------------------------------------------------


def test_an_action_first_shows_a_confirmation_page(caseworker_client, program):
    first, second = application(program), application(program, name="이솔")

    response = choose(caseworker_client, "approve_selected", [first, second])

    assert response.status_code == 200
    assert response.templates[0].name == CONFIRMATION
    page = response.content.decode()
    assert first.reference in page
    assert second.reference in page
    assert 'name="reason"' not in page
    first.refresh_from_db()
    assert first.status == S.SUBMITTED
    assert not Notification.objects.filter(template="application.approved").exists()


@pytest.mark.parametrize("action", ["reject_selected", "request_info_selected"])
def test_reject_and_request_info_ask_for_a_reason(caseworker_client, program, action):
    response = choose(caseworker_client, action, [application(program)])

    assert 'name="reason"' in response.content.decode()


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("reject_selected", "Give a reason: the resident will read it."),
        ("request_info_selected", "Say what information is needed: the resident will read it."),
    ],
)
def test_a_missing_reason_is_a_form_error_and_changes_nothing(caseworker_client, program, action, message):
    pending = application(program)

    response = confirm(caseworker_client, action, [pending], reason="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [message]
    pending.refresh_from_db()
    assert pending.status == S.SUBMITTED
    assert not AuditEvent.objects.filter(
        target_id=str(pending.pk), action__startswith="programs.application."
    ).exists()


# --- each decision ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "start", "end", "template", "reason"),
    [
        ("approve_selected", S.SUBMITTED, S.APPROVED, "application.approved", ""),
        ("reject_selected", S.UNDER_REVIEW, S.REJECTED, "application.rejected", "소득 기준 초과"),
        ("waitlist_selected", S.UNDER_REVIEW, S.WAITLISTED, "application.waitlisted", ""),
        (
            "request_info_selected",
            S.SUBMITTED,
            S.INFO_REQUESTED,
            "application.info_requested",
            "임대차계약서 사본",
        ),
        ("review_selected", S.SUBMITTED, S.UNDER_REVIEW, "application.under_review", ""),
        ("complete_selected", S.APPROVED, S.COMPLETED, "application.completed", ""),
    ],
)
def test_each_decision_is_made_audited_and_notified(
    caseworker_client, caseworker_a, program, action, start, end, template, reason
):
    pending = application(program, status=start)

    response = confirm(caseworker_client, action, [pending], reason=reason)

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == end
    if reason:
        assert pending.decision_reason == reason
    if end in (S.APPROVED, S.REJECTED):
        assert pending.decided_by == caseworker_a
        assert pending.decided_at is not None
    event = AuditEvent.objects.get(action=f"programs.application.{end}", target_id=str(pending.pk))
    assert event.actor == caseworker_a
    assert event.district == district(GWANAK)
    assert event.data["from"] == start
    notice = Notification.objects.get(user=pending.household.user, template=template, channel="in_app")
    assert notice.context["reference"] == pending.reference
    assert pending.history.latest().history_user == caseworker_a
    label = DECISIONS[action.removesuffix("_selected")].label
    assert texts(response) == [f"{label}: 1 application done."]


def test_bulk_decision_with_allowed_and_illegal_rows(caseworker_client, program):
    submitted = application(program)
    under_review = application(program, status=S.UNDER_REVIEW, name="이솔")
    cancelled = application(program, status=S.CANCELLED, name="박취소")
    approved = application(program, status=S.APPROVED, name="최승인")

    response = confirm(caseworker_client, "approve_selected", [submitted, under_review, cancelled, approved])

    assert response.status_code == 302
    for row, status in [
        (submitted, S.APPROVED),
        (under_review, S.APPROVED),
        (cancelled, S.CANCELLED),
        (approved, S.APPROVED),
    ]:
        row.refresh_from_db()
        assert row.status == status
    done, refused = texts(response)
    assert done == "Approve: 2 applications done."
    assert refused.startswith("Approve: 2 applications could not be changed. ")
    assert f"{cancelled.reference}: This application is Cancelled: it cannot be changed that way." in refused
    assert f"{approved.reference}: This application is Approved: it cannot be changed that way." in refused
    assert not AuditEvent.objects.filter(target_id=str(cancelled.pk), action="programs.application.approved")


def test_approving_beyond_capacity_is_refused_with_the_services_message(caseworker_client):
    small = ProgramFactory(district=district(GWANAK), capacity=1)
    application(small, status=S.APPROVED)
    waiting = application(small, status=S.UNDER_REVIEW, name="이솔")

    response = confirm(caseworker_client, "approve_selected", [waiting])

    waiting.refresh_from_db()
    assert waiting.status == S.UNDER_REVIEW
    assert texts(response) == [
        f"Approve: 1 application could not be changed. {waiting.reference}: "
        "All places are taken: put the application on the waiting list instead."
    ]


def test_bulk_approval_stops_at_capacity_oldest_first(caseworker_client):
    small = ProgramFactory(district=district(GWANAK), capacity=2)
    now = timezone.now()
    newest = application(small, submitted_at=now - timedelta(hours=1))
    oldest = application(small, submitted_at=now - timedelta(days=3), name="이솔")
    middle = application(small, submitted_at=now - timedelta(days=1), name="박중간")

    confirm(caseworker_client, "approve_selected", [newest, oldest, middle])

    statuses = {}
    for row in (oldest, middle, newest):
        row.refresh_from_db()
        statuses[row.reference] = row.status
    assert statuses == {
        oldest.reference: S.APPROVED,
        middle.reference: S.APPROVED,
        newest.reference: S.SUBMITTED,
    }


# --- scoping of decisions --------------------------------------------------------------------------


def test_another_districts_application_cannot_be_decided(client, caseworker_b, program):
    own = application(program)
    login(client, caseworker_b)

    response = confirm(client, "approve_selected", [own])
    per_object = client.post(decide_url(own, "approve"), {"post": "yes"})

    assert response.status_code == 302
    assert per_object.status_code == 404
    own.refresh_from_db()
    assert own.status == S.SUBMITTED
    assert not Notification.objects.filter(template="application.approved").exists()


def test_a_view_only_manager_cannot_decide(client, program_manager_a, program):
    own = application(program)
    login(client, program_manager_a)

    confirm(client, "approve_selected", [own])
    per_object = client.post(decide_url(own, "approve"), {"post": "yes"})

    assert per_object.status_code == 403
    own.refresh_from_db()
    assert own.status == S.SUBMITTED


# --- the change page -------------------------------------------------------------------------------


def test_change_page_offers_the_decisions_the_status_allows(caseworker_client, program):
    submitted = application(program)
    approved = application(program, status=S.APPROVED, name="이솔")

    page = caseworker_client.get(change_url(submitted)).content.decode()
    assert decide_url(submitted, "approve") in page
    assert decide_url(submitted, "reject") in page
    assert decide_url(submitted, "complete") not in page

    page = caseworker_client.get(change_url(approved)).content.decode()
    assert decide_url(approved, "complete") in page
    assert decide_url(approved, "approve") not in page


def test_change_page_button_goes_through_the_confirmation_and_the_service(
    caseworker_client, caseworker_a, program
):
    pending = application(program, status=S.UNDER_REVIEW)

    page = caseworker_client.get(decide_url(pending, "reject"))
    refused = caseworker_client.post(decide_url(pending, "reject"), {"post": "yes", "reason": ""})
    response = caseworker_client.post(
        decide_url(pending, "reject"), {"post": "yes", "reason": "거주지 요건 미충족"}
    )

    assert page.status_code == 200
    assert pending.reference in page.content.decode()
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]
    assert response.status_code == 302
    assert response.url == change_url(pending)
    pending.refresh_from_db()
    assert pending.status == S.REJECTED
    assert pending.decision_reason == "거주지 요건 미충족"
    assert AuditEvent.objects.get(action="programs.application.rejected").actor == caseworker_a
    assert Notification.objects.filter(user=pending.household.user, template="application.rejected").exists()


def test_an_illegal_transition_from_the_change_page_is_refused_with_a_message(caseworker_client, program):
    cancelled = application(program, status=S.CANCELLED)

    response = caseworker_client.post(decide_url(cancelled, "approve"), {"post": "yes"})

    assert response.status_code == 302
    cancelled.refresh_from_db()
    assert cancelled.status == S.CANCELLED
    assert texts(response) == [
        f"Approve: 1 application could not be changed. {cancelled.reference}: "
        "This application is Cancelled: it cannot be changed that way."
    ]


def test_an_unknown_decision_is_404(caseworker_client, program):
    assert caseworker_client.get(decide_url(application(program), "delete")).status_code == 404


def test_status_cannot_be_edited_on_the_change_page(caseworker_client, program):
    pending = application(program)

    response = caseworker_client.post(
        change_url(pending), {"status": "approved", **note_formset(caseworker_client, pending)}
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.SUBMITTED


@pytest.fixture
def full_application(program, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = ProgramQuestionFactory(
        program=program, kind=QuestionKind.TEXT, label="희망 활동", label_en="Activity", position=1
    )
    shift = ProgramQuestionFactory(
        program=program,
        kind=QuestionKind.CHOICE,
        label="희망 시간",
        label_en="Time",
        choices=["오전", "오후"],
        position=2,
    )
    alone = ProgramQuestionFactory(
        program=program, kind=QuestionKind.YES_NO, label="혼자 거주", label_en="Lives alone", position=3
    )
    proof = ProgramQuestionFactory(
        program=program, kind=QuestionKind.FILE, label="소득 증빙", label_en="Income proof", position=4
    )
    household = HouseholdFactory(name="김하나", phone="010-1234-5678", district=district(GWANAK))
    row = ApplicationFactory(
        program=program,
        household=household,
        answers={activity.field_name: "요리 모임", shift.field_name: "오후", alone.field_name: True},
        eligibility_verdict="ineligible",
        eligibility_rule_version=3,
        eligibility_lines=[
            {
                "criterion": 1,
                "passed": False,
                "rule": "기준중위소득 150% 이하",
                "comparison": "월 소득 2,900,000원 > 기준 2,392,013원",
            }
        ],
    )
    document = ApplicationDocument.objects.create(
        application=row,
        question=proof,
        file=SimpleUploadedFile("proof.pdf", b"%PDF-1.4 test"),
        original_name="소득금액증명원.pdf",
        content_type="application/pdf",
        size=13,
    )
    return row, document


def test_change_page_shows_the_applicant_answers_documents_and_eligibility(
    caseworker_client, full_application
):
    row, document = full_application

    page = caseworker_client.get(change_url(row)).content.decode()

    assert "김하나" in page
    assert "010-1234-5678" in page
    assert row.household.user.email in page
    assert "관악구" in page or "Gwanak-gu" in page
    for text in ("Activity", "요리 모임", "Time", "오후", "Lives alone", "Yes", "Income proof"):
        assert text in page
    assert f'href="/programs/documents/{document.pk}/"' in page
    assert "소득금액증명원.pdf" in page
    assert "월 소득 2,900,000원 &gt; 기준 2,392,013원" in page
    assert "Not eligible" in page
    assert 'name="status"' not in page


def test_opening_the_change_page_is_logged(caseworker_client, caseworker_a, program):
    pending = application(program)

    response = caseworker_client.get(change_url(pending), REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="programs.application.viewed")
    assert event.actor == caseworker_a
    assert event.subject_user_id == pending.household.user_id
    assert event.target_type == "programs.application"
    assert event.target_id == str(pending.pk)
    assert event.district == district(GWANAK)
    assert event.ip_address == "198.51.100.7"
    assert event.data == {"page": "record", "reference": pending.reference}


def test_another_districts_change_page_is_not_logged(client, caseworker_a):
    other = ApplicationFactory(
        program=ProgramFactory(district=district(JUNGGU)),
        household=HouseholdFactory(district=district(JUNGGU)),
    )

    response = login(client, caseworker_a).get(change_url(other))

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="programs.application.viewed").exists()


# --- notes -----------------------------------------------------------------------------------------


def note_formset(client, row) -> dict:
    """The notes inline as an unchanged change form would post it."""
    response = client.get(change_url(row))
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


def test_a_note_is_added_with_its_author(caseworker_client, caseworker_a, program):
    pending = application(program)
    data = note_formset(caseworker_client, pending)
    data["notes-0-body"] = "전화로 서류 보완 안내함"

    response = caseworker_client.post(change_url(pending), data)

    assert response.status_code == 302
    note = ApplicationNote.objects.get(application=pending)
    assert note.author == caseworker_a
    assert note.body == "전화로 서류 보완 안내함"
    event = AuditEvent.objects.get(action="programs.application.note_added")
    assert event.actor == caseworker_a
    assert event.target_id == str(pending.pk)
    pending.refresh_from_db()
    assert pending.status == S.SUBMITTED


def test_existing_notes_are_shown_read_only_and_cannot_be_changed(caseworker_client, caseworker_a, program):
    pending = application(program)
    note = ApplicationNote.objects.create(application=pending, author=caseworker_a, body="첫 메모")
    page = caseworker_client.get(change_url(pending))
    assert "첫 메모" in page.content.decode()
    assert str(caseworker_a) in page.content.decode()
    data = note_formset(caseworker_client, pending)
    data["notes-0-id"] = str(note.pk)
    data["notes-0-body"] = "바꾼 메모"

    response = caseworker_client.post(change_url(pending), data)

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "첫 메모"
    assert ApplicationNote.objects.filter(application=pending).count() == 1


def test_an_unchanged_form_adds_no_note(caseworker_client, program):
    pending = application(program)

    caseworker_client.post(change_url(pending), note_formset(caseworker_client, pending))

    assert not ApplicationNote.objects.exists()


def test_the_note_box_has_an_accessible_name(caseworker_client, program):
    html = caseworker_client.get(change_url(application(program))).content.decode()
    box = re.search(r'<textarea[^>]*name="notes-0-body"[^>]*>', html)
    assert box is not None and 'aria-label="New note"' in box.group(0)


def test_breadcrumb_links_are_underlined_not_told_by_colour_alone(caseworker_client, program):
    from django.contrib.staticfiles import finders

    html = caseworker_client.get(change_url(application(program))).content.decode()
    # The rule lives in the admin's stylesheet (the CSP allows no inline style), linked from every page.
    assert "css/admin-hana.css" in html
    with open(finders.find("css/admin-hana.css"), encoding="utf-8") as css:
        assert re.search(r"div\.breadcrumbs a \{[^}]*text-decoration: underline", css.read())
