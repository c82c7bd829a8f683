"""The admin: scoped lists, the access-logged proposal page, report review through the service."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.models import ProposalStatus, ReportStatus
from community.services import milestone_add, report_submit
from portal.models import AuditEvent, Notification
from tests.factories import login

from .conftest import submitted

pytestmark = pytest.mark.django_db


def test_proposals_are_scoped_and_opening_one_is_logged(client, call, caseworker_a, caseworker_b):
    proposal = submitted(call)
    login(client, caseworker_a)
    listing = client.get(reverse("admin:community_proposal_changelist"))
    assert listing.status_code == 200 and proposal.reference in listing.content.decode()
    assert client.get(reverse("admin:community_proposal_change", args=[proposal.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        action="community.proposal.viewed", subject_user_id=proposal.lead_id
    ).exists()
    assert client.get(reverse("admin:community_call_changelist")).status_code == 200

    login(client, caseworker_b)
    assert (
        proposal.reference not in client.get(reverse("admin:community_proposal_changelist")).content.decode()
    )
    assert client.get(reverse("admin:community_proposal_change", args=[proposal.pk])).status_code == 302


def test_staff_return_a_report_with_a_note_and_the_group_is_told(client, call, caseworker_a):
    proposal = submitted(call)
    type(proposal).objects.filter(pk=proposal.pk).update(status=ProposalStatus.SELECTED, grant_amount=1_000)
    milestone = milestone_add(proposal=proposal, actor=caseworker_a, title="1차", due_on=date(2026, 12, 1))
    report = report_submit(
        user=proposal.lead,
        milestone_id=milestone.pk,
        text="모임 2회",
        photos=[SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n0000")],
    )
    login(client, caseworker_a)
    url = reverse("admin:community_activityreport_change", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    file_url = reverse("community:report_file", args=[report.files.get().pk])
    assert file_url in page.content.decode()
    assert client.get(file_url).status_code == 200
    client.post(url, {"decision": "return", "review_note": "영수증을 추가해 주세요."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.review_note == "영수증을 추가해 주세요."
    assert Notification.objects.filter(user=proposal.lead, template="community.report.reviewed").exists()


def test_a_published_call_is_fixed_but_takes_new_evaluators(client, call, program_manager_a):
    from community.models import Appointment
    from tests.factories import HouseholdFactory

    citizen = HouseholdFactory(district=call.district).user
    login(client, program_manager_a)
    url = reverse("admin:community_call_change", args=[call.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "budget": "1",
            "appointments-TOTAL_FORMS": "1",
            "appointments-INITIAL_FORMS": "0",
            "appointments-MIN_NUM_FORMS": "0",
            "appointments-MAX_NUM_FORMS": "1000",
            "appointments-0-user": str(citizen.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call.refresh_from_db()
    assert call.budget == 10_000_000
    assert Appointment.objects.get(call=call, user=citizen).appointed_by == program_manager_a
