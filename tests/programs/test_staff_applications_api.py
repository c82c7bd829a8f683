"""The staff applications API: the district's review queue, one application in full, decisions."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.models import AuditEvent, Notification
from programs.models import Application, ApplicationDocument, ApplicationStatus
from programs.services import application_note_add
from tests.factories import JUNGGU, ApplicationFactory, HouseholdFactory, ProgramFactory, district, login

pytestmark = pytest.mark.django_db
S = ApplicationStatus
URL = "/api/v1/staff/applications/"
SEOUL = ZoneInfo("Asia/Seoul")


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


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def ago(**kwargs) -> datetime:
    return timezone.now() - timedelta(**kwargs)


def in_b(**kwargs) -> Application:
    """An application from a resident of district B (서울 중구)."""
    return ApplicationFactory(household=HouseholdFactory(district=district(JUNGGU), name="박중구"), **kwargs)


@pytest.fixture
def program_a():
    return ProgramFactory(selection_method="review")


@pytest.fixture
def program_b():
    return ProgramFactory(district=district(JUNGGU), selection_method="review")


@pytest.fixture
def staff_a(client, caseworker_a):
    return login(client, caseworker_a)


# --- scoping: district A never reaches district B ---------------------------------------------------


def test_each_caseworker_lists_only_their_districts_applications(
    client, caseworker_a, caseworker_b, program_a
):
    mine = ApplicationFactory(program=program_a)
    theirs = in_b(program=program_a)

    assert ids(login(client, caseworker_a).get(URL)) == [mine.pk]
    assert ids(login(client, caseworker_b).get(URL)) == [theirs.pk]


def test_a_city_admin_lists_every_district(client, city_admin):
    mine, theirs = ApplicationFactory(submitted_at=ago(hours=2)), in_b(submitted_at=ago(hours=1))

    assert ids(login(client, city_admin).get(URL)) == [mine.pk, theirs.pk]


def test_another_districts_application_is_a_404_to_read_and_to_decide(staff_a, caseworker_a):
    theirs = in_b()

    assert_error(staff_a.get(f"{URL}{theirs.pk}/"), 404, "not_found")
    assert_error(post(staff_a, f"{URL}{theirs.pk}/decide/", {"action": "approve"}), 404, "not_found")
    assert_error(
        post(staff_a, f"{URL}{theirs.pk}/decide/", {"action": "reject", "reason": "x"}), 404, "not_found"
    )
    theirs.refresh_from_db()
    assert theirs.status == S.SUBMITTED
    assert not AuditEvent.objects.filter(actor=caseworker_a).exists()
    assert not Notification.objects.exists()


def test_no_filter_reaches_another_district(staff_a, program_a, program_b):
    theirs = in_b(program=program_a, submitted_at=ago(days=5))
    theirs_on_their_program = in_b(program=program_b, submitted_at=ago(days=5))
    today = timezone.localdate().isoformat()

    for query in (
        {"q": theirs.reference},
        {"q": "HN-"},
        {"program": program_a.pk},
        {"status": "submitted"},
        {"waiting_over_48h": "true"},
        {"waiting_over_48h": "false"},
        {"submitted_before": today},
    ):
        assert ids(staff_a.get(URL, query)) == [], query
    # Another district's own program cannot even be named: the same answer as an unknown id.
    unknown = assert_error(staff_a.get(URL, {"program": 999999}), 400, "invalid")
    other = assert_error(staff_a.get(URL, {"program": program_b.pk}), 400, "invalid")
    assert other["fields"].keys() == unknown["fields"].keys() == {"program"}
    assert theirs_on_their_program.pk not in ids(staff_a.get(URL))


def test_drafts_are_not_staffs_to_see(staff_a):
    draft = ApplicationFactory(status=S.DRAFT, submitted_at=None)

    assert ids(staff_a.get(URL)) == []
    assert_error(staff_a.get(f"{URL}{draft.pk}/"), 404, "not_found")


# --- the queue: order, masking, paging, filters ---------------------------------------------------


def test_queue_is_oldest_submitted_first_with_masked_names(staff_a, program_a):
    newer = ApplicationFactory(program=program_a, submitted_at=ago(hours=1))
    older = ApplicationFactory(program=program_a, submitted_at=ago(days=3))

    response = staff_a.get(URL)

    assert ids(response) == [older.pk, newer.pk]
    row = response.json()["results"][0]
    assert row["applicant"] == "김*나"  # 김하나
    assert "김하나" not in response.content.decode()
    assert "010-1234-5678" not in response.content.decode()
    assert row["reference"] == older.reference
    assert row["program"] == {"id": program_a.pk, "title": program_a.title}
    assert row["district"] == "11620"
    assert "count" not in response.json()


def test_queue_pages_with_a_cursor(staff_a):
    applications = [ApplicationFactory(submitted_at=ago(hours=10 - n)) for n in range(5)]

    first = staff_a.get(URL, {"page_size": 2}).json()
    second = staff_a.get(first["next"]).json()
    third = staff_a.get(second["next"]).json()

    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert seen == [a.pk for a in applications]
    assert third["next"] is None
    assert first["previous"] is None


def test_filter_by_program(staff_a, program_a):
    chosen = ApplicationFactory(program=program_a)
    ApplicationFactory()

    assert ids(staff_a.get(URL, {"program": program_a.pk})) == [chosen.pk]


def test_filter_by_several_statuses(staff_a):
    submitted = ApplicationFactory(status=S.SUBMITTED, submitted_at=ago(hours=3))
    review = ApplicationFactory(status=S.UNDER_REVIEW, submitted_at=ago(hours=2))
    ApplicationFactory(status=S.APPROVED)

    assert ids(staff_a.get(f"{URL}?status=submitted&status=under_review")) == [submitted.pk, review.pk]
    assert ids(staff_a.get(URL, {"status": "under_review"})) == [review.pk]
    assert_error(staff_a.get(URL, {"status": "draft"}), 400, "invalid")


def test_submitted_dates_are_korean_calendar_days(staff_a):
    # 00:30 on 1 March in Seoul is still 28 February in UTC: it belongs to 1 March here.
    just_after_midnight = ApplicationFactory(submitted_at=datetime(2026, 3, 1, 0, 30, tzinfo=SEOUL))
    late_evening = ApplicationFactory(submitted_at=datetime(2026, 2, 28, 23, 50, tzinfo=SEOUL))
    end_of_day = ApplicationFactory(submitted_at=datetime(2026, 3, 1, 23, 59, tzinfo=SEOUL))

    assert ids(staff_a.get(URL, {"submitted_after": "2026-03-01"})) == [just_after_midnight.pk, end_of_day.pk]
    assert ids(staff_a.get(URL, {"submitted_before": "2026-02-28"})) == [late_evening.pk]
    on_the_day = {"submitted_after": "2026-03-01", "submitted_before": "2026-03-01"}
    assert ids(staff_a.get(URL, on_the_day)) == [just_after_midnight.pk, end_of_day.pk]
    assert_error(staff_a.get(URL, {"submitted_after": "1 March"}), 400, "invalid")


def test_waiting_over_48_hours(staff_a):
    overdue = [
        ApplicationFactory(status=status, submitted_at=ago(hours=49 + n))
        for n, status in enumerate([S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED, S.WAITLISTED])
    ]
    recent = ApplicationFactory(status=S.SUBMITTED, submitted_at=ago(hours=47))
    decided = ApplicationFactory(status=S.APPROVED, submitted_at=ago(days=5))

    assert set(ids(staff_a.get(URL, {"waiting_over_48h": "true"}))) == {a.pk for a in overdue}
    assert ids(staff_a.get(URL, {"waiting_over_48h": "false"})) == [decided.pk, recent.pk]


def test_q_matches_the_reference_or_its_beginning_in_any_case(staff_a):
    wanted = ApplicationFactory()
    other = ApplicationFactory()

    assert ids(staff_a.get(URL, {"q": wanted.reference})) == [wanted.pk]
    assert ids(staff_a.get(URL, {"q": f" {wanted.reference.lower()} "})) == [wanted.pk]
    assert set(ids(staff_a.get(URL, {"q": wanted.reference[:8]}))) == {wanted.pk, other.pk}
    assert ids(staff_a.get(URL, {"q": "HN-1999-"})) == []


def test_queue_query_count_does_not_grow(client, caseworker_a, program_a, django_assert_num_queries):
    staff = login(client, caseworker_a)
    for _ in range(5):
        ApplicationFactory(program=program_a)
    staff.get(URL)  # the session's first staff request also starts its inactivity clock (a write)
    # session, user, the user's permissions and their groups' permissions, then one page query
    # (program, household and district joined). No COUNT: the pagination is a cursor.
    with django_assert_num_queries(5):
        assert len(ids(staff.get(URL, {"page_size": 50}))) == 5

    for _ in range(35):
        ApplicationFactory(program=program_a, household=HouseholdFactory())
    with django_assert_num_queries(5):
        assert len(ids(staff.get(URL, {"page_size": 50}))) == 40


# --- one application in full -------------------------------------------------------------------------


def test_detail_shows_the_applicant_in_full_and_logs_the_access(staff_a, caseworker_a, program_a):
    application = ApplicationFactory(program=program_a, answers={"q1": "오후"})

    response = staff_a.get(f"{URL}{application.pk}/", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["applicant"] == {
        "name": "김하나",
        "phone": "010-1234-5678",
        "email": application.household.user.email,
    }
    assert body["answers"] == {"q1": "오후"}
    assert body["allowed_actions"] == ["approve", "reject", "waitlist", "request_info", "review"]
    assert body["documents"] == [] and body["notes"] == []
    event = AuditEvent.objects.get(action="programs.application.viewed")
    assert event.actor == caseworker_a
    assert event.ip_address == "203.0.113.9"
    assert event.target_id == str(application.pk)
    assert event.subject_user_id == application.household.user_id
    assert event.district == application.district


def test_detail_lists_notes_and_documents(staff_a, caseworker_a, program_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(program=program_a)
    application_note_add(application=application, author=caseworker_a, body="전화 상담 완료")
    document = ApplicationDocument.objects.create(
        application=application,
        file=SimpleUploadedFile("lease.pdf", b"%PDF-1.4"),
        original_name="임대차계약서.pdf",
        content_type="application/pdf",
        size=8,
    )

    body = staff_a.get(f"{URL}{application.pk}/").json()

    assert [(n["author"], n["body"]) for n in body["notes"]] == [(str(caseworker_a), "전화 상담 완료")]
    assert body["documents"][0]["name"] == "임대차계약서.pdf"
    assert body["documents"][0]["url"] == f"/programs/documents/{document.pk}/"
    assert body["decided_by"] is None


def test_a_non_numeric_id_is_a_404_in_the_error_format(staff_a):
    assert_error(staff_a.get(f"{URL}abc/"), 404, "not_found")


def test_a_refused_detail_logs_nothing(staff_a):
    theirs = in_b()

    staff_a.get(f"{URL}{theirs.pk}/")

    assert not AuditEvent.objects.filter(action="programs.application.viewed").exists()


# --- decisions ----------------------------------------------------------------------------------------


def test_approving_writes_the_audit_event_and_notifies_the_resident(staff_a, caseworker_a, program_a):
    application = ApplicationFactory(program=program_a, status=S.UNDER_REVIEW)

    response = post(staff_a, f"{URL}{application.pk}/decide/", {"action": "approve"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["decided_by"] == str(caseworker_a)
    application.refresh_from_db()
    assert application.status == S.APPROVED and application.decided_by == caseworker_a
    event = AuditEvent.objects.get(action="programs.application.approved")
    assert event.actor == caseworker_a
    assert event.target_id == str(application.pk)
    assert event.data["from"] == "under_review"
    inbox = Notification.objects.get(user=application.household.user, channel="in_app")
    assert inbox.template == "application.approved"


def test_rejecting_needs_a_reason_and_passes_it_on(staff_a, program_a):
    application = ApplicationFactory(program=program_a)

    error = assert_error(
        post(staff_a, f"{URL}{application.pk}/decide/", {"action": "reject"}), 400, "reason_required"
    )
    assert error["fields"] == {"reason": [error["message"]]}
    blank = post(staff_a, f"{URL}{application.pk}/decide/", {"action": "request_info", "reason": "   "})
    assert_error(blank, 400, "reason_required")
    application.refresh_from_db()
    assert application.status == S.SUBMITTED

    response = post(
        staff_a, f"{URL}{application.pk}/decide/", {"action": "reject", "reason": "소득 기준 초과"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["decision_reason"] == "소득 기준 초과"
    assert AuditEvent.objects.filter(action="programs.application.rejected").count() == 1
    notice = Notification.objects.get(user=application.household.user, channel="in_app")
    assert notice.template == "application.rejected"
    assert notice.context["reason"] == "소득 기준 초과"


def test_approving_a_cancelled_application_is_refused(staff_a, program_a):
    application = ApplicationFactory(program=program_a, status=S.CANCELLED)

    error = assert_error(
        post(staff_a, f"{URL}{application.pk}/decide/", {"action": "approve"}), 409, "invalid_transition"
    )

    assert error["message"]
    application.refresh_from_db()
    assert application.status == S.CANCELLED
    assert not AuditEvent.objects.exists()
    assert not Notification.objects.exists()


def test_approving_beyond_capacity_is_refused_as_full(staff_a):
    program = ProgramFactory(selection_method="review", capacity=1)
    ApplicationFactory(program=program, status=S.APPROVED)
    waiting = ApplicationFactory(program=program, status=S.UNDER_REVIEW)

    assert_error(post(staff_a, f"{URL}{waiting.pk}/decide/", {"action": "approve"}), 409, "full")

    waiting.refresh_from_db()
    assert waiting.status == S.UNDER_REVIEW
    # The way out the message suggests works.
    assert (
        post(staff_a, f"{URL}{waiting.pk}/decide/", {"action": "waitlist"}).json()["status"] == "waitlisted"
    )


@pytest.mark.parametrize("payload", [{"action": "delete"}, {}, {"action": ["approve"]}])
def test_an_unknown_action_is_a_field_error(staff_a, payload):
    application = ApplicationFactory()

    error = assert_error(post(staff_a, f"{URL}{application.pk}/decide/", payload), 400, "invalid")

    assert "action" in error["fields"]


def test_malformed_json_is_refused_in_the_error_format(staff_a):
    application = ApplicationFactory()

    response = staff_a.post(f"{URL}{application.pk}/decide/", "{action", content_type="application/json")

    assert_error(response, 400, "parse_error")


# --- who may call -----------------------------------------------------------------------------------


def test_residents_and_anonymous_users_get_403(client, resident):
    application = ApplicationFactory(household=resident.household)

    for expected, user in (("not_authenticated", None), ("permission_denied", resident)):
        if user is not None:
            login(client, user)
        assert_error(client.get(URL), 403, expected)
        assert_error(client.get(f"{URL}{application.pk}/"), 403, expected)
        assert_error(post(client, f"{URL}{application.pk}/decide/", {"action": "approve"}), 403, expected)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_district_manager_reads_but_does_not_decide(client, manager_a):
    application = ApplicationFactory()
    login(client, manager_a)

    assert ids(client.get(URL)) == [application.pk]
    assert client.get(f"{URL}{application.pk}/").status_code == 200
    assert_error(
        post(client, f"{URL}{application.pk}/decide/", {"action": "approve"}), 403, "permission_denied"
    )


def test_staff_without_the_view_permission_are_refused(client, caseworker_a):
    caseworker_a.groups.clear()
    login(client, caseworker_a)

    assert_error(client.get(URL), 403, "permission_denied")
