"""A selected project's members over the API: activity reports (multipart, the web form's upload checks)
and space bookings within the quota — the same services as the web pages, scoped to the members."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import ActivityReport, Proposal, ProposalStatus
from community.services import milestone_add, report_submit
from tests.factories import GWANAK, JUNGGU, HouseholdFactory, login, space_with_room

from .conftest import submitted
from .test_projects import PDF, PNG, at

pytestmark = pytest.mark.django_db
API = "/api/v1/community"


@pytest.fixture
def project(call):
    proposal = submitted(call)
    Proposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.SELECTED, grant_amount=3_000_000, space_hours_quota=4
    )
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def milestone(project, caseworker_a):
    return milestone_add(proposal=project, actor=caseworker_a, title="1차 활동", due_on=date(2026, 6, 30))


@pytest.fixture
def member(project):
    return project.members.exclude(user=project.lead).first().user


@pytest.fixture
def room(call):
    return space_with_room(GWANAK, hours=("07:00", "21:00"))


def _report(client, milestone, **fields):
    return client.post(f"{API}/milestones/{milestone.pk}/reports/", {"text": "모임 4회", **fields})


# --- activity reports ------------------------------------------------------------------------------


def test_a_member_reports_with_photos_and_receipts(client, milestone, member):
    login(client, member)
    response = _report(
        client,
        milestone,
        spent=400_000,
        photos=[SimpleUploadedFile("모임.png", PNG), SimpleUploadedFile("둘째.png", PNG)],
        receipts=[SimpleUploadedFile("receipt.pdf", PDF)],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["milestone"], body["text"], body["spent"], body["status"]) == (
        milestone.pk,
        "모임 4회",
        400_000,
        "submitted",
    )
    report = ActivityReport.objects.get(pk=body["id"])
    assert report.submitted_by == member
    assert sorted(report.files.values_list("kind", flat=True)) == ["photo", "photo", "receipt"]
    assert len(body["files"]) == 3
    assert client.get(body["files"][0]).status_code == 200  # the member downloads it on the web
    (listed,) = client.get(f"{API}/milestones/").json()["results"]
    assert listed["id"] == milestone.pk and [r["id"] for r in listed["reports"]] == [report.pk]
    assert client.get(f"{API}/milestones/{milestone.pk}/").json()["reports"][0]["spent"] == 400_000


def test_a_report_without_files_takes_the_defaults(client, milestone, project):
    login(client, project.lead)
    response = _report(client, milestone)
    assert response.status_code == 201 and response.json()["spent"] == 0 and response.json()["files"] == []


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"text": ""}, "text", "invalid"),
        ({"text": "x" * 4001}, "text", "invalid"),
        ({"text": "회원 900101-1234567"}, "text", "invalid"),
        ({"spent": "abc"}, "spent", "invalid"),
        ({"spent": -1}, "spent", "invalid"),
        ({"spent": 10**13}, "spent", "invalid"),
        ({"photos": [SimpleUploadedFile("photo.png", b"not a png")]}, "photos", "invalid_file"),
        ({"photos": [SimpleUploadedFile("photo.exe", PNG)]}, "photos", "invalid_file"),
        ({"receipts": [SimpleUploadedFile("r.pdf", b"")]}, "receipts", "invalid_file"),
        ({"receipts": "not a file"}, "receipts", "invalid"),
        (
            {"photos": [SimpleUploadedFile(f"p{n}.png", PNG) for n in range(6)]}
            | {"receipts": [SimpleUploadedFile(f"r{n}.pdf", PDF) for n in range(5)]},
            "files",
            "invalid_file",
        ),
    ],
)
def test_bad_reports_are_400_json_and_store_nothing(client, milestone, member, fields, field, code):
    login(client, member)
    response = _report(client, milestone, **fields)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == (code, [field])
    assert not ActivityReport.objects.exists()


def test_a_report_is_multipart_only(client, milestone, member):
    login(client, member)
    response = client.post(
        f"{API}/milestones/{milestone.pk}/reports/", {"text": "모임"}, content_type="application/json"
    )
    assert response.status_code == 415 and response.json()["error"]["status"] == 415


def test_only_the_projects_members_see_and_report(client, call, milestone, project):
    url = f"{API}/milestones/{milestone.pk}/"
    assert client.get(url).status_code == 403  # not logged in
    invited = HouseholdFactory(district=call.district).user
    project.members.create(user=invited)  # invited, never confirmed
    other_group = submitted(call).lead
    for outsider in (HouseholdFactory().user, invited, other_group):
        login(client, outsider)
        assert client.get(f"{API}/milestones/").json()["results"] == []
        assert client.get(url).status_code == 404
        response = _report(client, milestone)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not ActivityReport.objects.exists()


def test_an_unselected_projects_report_is_refused(client, milestone, project):
    Proposal.objects.filter(pk=project.pk).update(status=ProposalStatus.NOT_SELECTED)
    login(client, project.lead)
    response = _report(client, milestone)
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_transition"


def test_the_milestone_list_uses_a_constant_number_of_queries(
    client, project, member, caseworker_a, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            milestone = milestone_add(
                proposal=project, actor=caseworker_a, title=f"활동 {i}", due_on=date(2026, 7, 1)
            )
            report_submit(
                user=member,
                milestone_id=milestone.pk,
                text="모임",
                receipts=[SimpleUploadedFile("r.pdf", PDF)],
            )

    login(client, member)
    add(1)
    with django_assert_max_num_queries(8):  # session, user, count, milestones, reports, files …
        assert len(client.get(f"{API}/milestones/").json()["results"]) == 1
    add(4)
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/milestones/").json()["results"]) == 5


# --- bookings within the quota ---------------------------------------------------------------------


def _book(client, project, room, start, end, days=2, change=None):
    body = {
        "room": room.pk,
        "starts_at": at(start, days).isoformat(),
        "ends_at": at(end, days).isoformat(),
        "headcount": 3,
        "purpose": "책모임",
        **(change or {}),
    }
    return client.post(f"{API}/projects/{project.pk}/bookings/", body, content_type="application/json")


def test_members_book_within_the_quota_over_the_api(client, project, member, room):
    url = f"{API}/projects/{project.pk}/bookings/"
    login(client, member)
    before = client.get(url).json()
    assert (before["space_hours_quota"], before["hours_used"], before["hours_left"]) == (4, 0, 4)
    assert [r["id"] for r in before["rooms"]] == [room.pk] and before["bookings"] == []

    booked = _book(client, project, room, 10, 13)
    assert booked.status_code == 201, booked.content
    assert booked.json()["status"] == "confirmed" and booked.json()["room"]["id"] == room.pk

    login(client, project.lead)
    refused = _book(client, project, room, 14, 16, days=3)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "quota_exceeded"
    assert _book(client, project, room, 14, 15, days=3).status_code == 201
    after = client.get(url).json()
    assert (after["hours_used"], after["hours_left"], len(after["bookings"])) == (4, 0, 2)
    assert _book(client, project, room, 16, 17, days=4).json()["error"]["code"] == "quota_exceeded"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"room": 999_999}, "room"),
        ({"room": "abc"}, "room"),
        ({"headcount": 0}, "headcount"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "900101-1234567"}, "purpose"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"ends_at": "0001-01-01T00:00:00"}, "ends_at"),
    ],
)
def test_bad_bookings_are_400_json(client, project, member, room, change, field):
    login(client, member)
    response = _book(client, project, room, 10, 11, change=change)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not project.bookings.exists()


def test_the_rooms_rules_still_apply(client, project, member, room):
    login(client, member)
    backwards = _book(client, project, room, 12, 10)
    assert backwards.status_code == 400 and backwards.json()["error"]["code"] == "invalid_range"
    elsewhere = space_with_room(JUNGGU, hours=("07:00", "21:00"))  # another district's room
    response = _book(client, project, elsewhere, 10, 11)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_room"
    assert _book(client, project, room, 10, 11).status_code == 201
    login(client, project.lead)
    assert _book(client, project, room, 10, 11).json()["error"]["code"] == "taken"
    assert project.bookings.count() == 1


def test_only_members_of_a_selected_project_book(client, call, project, room):
    url = f"{API}/projects/{project.pk}/bookings/"
    assert client.get(url).status_code == 403
    for outsider in (HouseholdFactory(district=call.district).user, submitted(call).lead):
        login(client, outsider)
        assert client.get(url).status_code == 404
        response = _book(client, project, room, 10, 11)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    Proposal.objects.filter(pk=project.pk).update(status=ProposalStatus.NOT_SELECTED)
    login(client, project.lead)
    assert client.get(url).status_code == 404
    assert _book(client, project, room, 10, 11).status_code == 404
    assert not project.bookings.exists()
