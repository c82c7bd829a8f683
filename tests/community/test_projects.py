"""Selected projects: space bookings within the quota (through the spaces service), activity reports
with photos and receipts, review and payments within the grant."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import ProjectBooking, ProposalStatus, ReportStatus
from community.services import (
    CommunityError,
    hours_used,
    milestone_add,
    payment_record,
    project_book,
    report_review,
    report_submit,
)
from portal.timeutils import local_today
from tests.factories import HouseholdFactory, space_with_room

from .conftest import submitted

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
PDF = b"%PDF-1.4 receipt"


def at(hour: int, days: int = 2) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(local_today() + timedelta(days=days), time(hour), tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture
def project(call):
    proposal = submitted(call)
    type(proposal).objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.SELECTED, grant_amount=3_000_000, space_hours_quota=4
    )
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def room(call):
    return space_with_room(call.district.code, hours=("07:00", "21:00"))


def book(user, project, room, start, end, days=2):
    return project_book(
        user=user,
        proposal_id=project.pk,
        room_id=room.pk,
        starts_at=at(start, days),
        ends_at=at(end, days),
        headcount=3,
        purpose="책모임",
    )


def test_members_book_within_the_quota(project, room):
    member = project.members.exclude(user=project.lead).first().user
    book(project.lead, project, room, 10, 13)
    assert hours_used(project) == 3
    with pytest.raises(CommunityError) as refused:
        book(member, project, room, 14, 16, days=3)
    assert refused.value.code == "quota_exceeded"
    book(member, project, room, 14, 15, days=3)
    assert ProjectBooking.objects.filter(proposal=project).count() == 2
    assert hours_used(project) == 4


def test_spaces_rules_still_apply_and_outsiders_cannot_book(project, room):
    with pytest.raises(CommunityError) as refused:
        book(HouseholdFactory().user, project, room, 10, 11)
    assert refused.value.code == "not_found"
    book(project.lead, project, room, 10, 11)
    member = project.members.exclude(user=project.lead).first().user
    from spaces.services import BookingError

    with pytest.raises(BookingError):  # the room is taken: spaces' own rule
        book(member, project, room, 10, 11)
    assert hours_used(project) == 1


def test_reports_with_photos_and_receipts_reviewed_by_staff(project, caseworker_a):
    milestone = milestone_add(
        proposal=project, actor=caseworker_a, title="1차 활동", due_on=date(2026, 6, 30)
    )
    with pytest.raises(CommunityError) as refused:
        report_submit(
            user=project.lead,
            milestone_id=milestone.pk,
            text="모임 4회",
            photos=[SimpleUploadedFile("photo.png", b"not a png")],
        )
    assert refused.value.field == "photos"
    report = report_submit(
        user=project.lead,
        milestone_id=milestone.pk,
        text="모임 4회",
        spent=400_000,
        photos=[SimpleUploadedFile("모임사진.png", PNG)],
        receipts=[SimpleUploadedFile("receipt.pdf", PDF)],
    )
    assert sorted(report.files.values_list("kind", flat=True)) == ["photo", "receipt"]
    assert "모임사진" not in report.files.get(kind="photo").file.name  # stored name says nothing
    with pytest.raises(CommunityError):
        report_review(report=report, actor=caseworker_a, accept=False)
    report_review(report=report, actor=caseworker_a, accept=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_payments_never_pass_the_grant(project, caseworker_a):
    payment_record(proposal=project, actor=caseworker_a, amount=2_000_000, paid_on=date(2026, 5, 1))
    with pytest.raises(CommunityError) as refused:
        payment_record(proposal=project, actor=caseworker_a, amount=1_000_001, paid_on=date(2026, 6, 1))
    assert refused.value.code == "invalid_amount"
    payment_record(proposal=project, actor=caseworker_a, amount=1_000_000, paid_on=date(2026, 6, 1))
    assert sum(project.payments.values_list("amount", flat=True)) == 3_000_000


def test_retention_blanks_what_unselected_groups_wrote(call, caseworker_a):
    from datetime import timedelta

    from django.utils import timezone

    from community.models import Proposal
    from portal import retention

    proposal = submitted(call)
    Proposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.NOT_SELECTED, updated_at=timezone.now() - timedelta(days=4 * 365)
    )
    kept = submitted(call)
    counts = retention.retention_run(now=timezone.now())
    assert counts["community_proposals"] == 1
    proposal.refresh_from_db()
    assert (proposal.purpose, proposal.plan, proposal.schedule) == ("", "", "")
    assert not proposal.members.exists()
    kept.refresh_from_db()
    assert kept.purpose
