"""A group drafts, invites members who confirm, and submits before the deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import MemberStatus, ProposalStatus
from community.services import CommunityError, member_invite, member_respond, proposal_submit
from portal.models import AuditEvent
from tests.factories import JUNGGU, HouseholdFactory, district

from .conftest import draft, group, submitted

pytestmark = pytest.mark.django_db


def test_a_group_of_three_residents_submits(call):
    proposal = submitted(call)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.reference.startswith("CP-")
    assert AuditEvent.objects.filter(
        action="community.proposal.submitted", target_id=str(proposal.pk)
    ).exists()


def test_too_few_confirmed_residents_is_refused(call):
    lead, member, _third = group(call)
    proposal = draft(lead, call)
    invitation = member_invite(user=lead, proposal=proposal, email=member.email)
    with pytest.raises(CommunityError) as refused:
        proposal_submit(user=lead, proposal=proposal)
    assert refused.value.code == "too_few_members"
    assert invitation.status == MemberStatus.INVITED


def test_members_living_elsewhere_do_not_count(call):
    lead = group(call, 1)[0]
    proposal = draft(lead, call)
    for _ in range(2):
        outsider = HouseholdFactory(district=district(JUNGGU)).user
        member = member_invite(user=lead, proposal=proposal, email=outsider.email)
        member_respond(user=outsider, member_id=member.pk, accept=True)
    with pytest.raises(CommunityError) as refused:
        proposal_submit(user=lead, proposal=proposal)
    assert refused.value.code == "too_few_members"


def test_submitting_after_the_deadline_is_refused_by_the_server(call):
    lead, *members = group(call)
    proposal = draft(lead, call)
    for user in members:
        member_respond(
            user=user, member_id=member_invite(user=lead, proposal=proposal, email=user.email).pk, accept=True
        )
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(CommunityError) as refused:
        proposal_submit(user=lead, proposal=proposal)
    assert refused.value.code == "deadline_passed"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_budget_above_the_per_project_limit_is_refused(call):
    lead = group(call, 1)[0]
    with pytest.raises(CommunityError) as refused:
        draft(lead, call, amount=call.per_project_limit + 1)
    assert refused.value.code == "over_limit"


def test_inviting_an_unknown_address_is_refused(call):
    lead = group(call, 1)[0]
    proposal = draft(lead, call)
    with pytest.raises(CommunityError) as refused:
        member_invite(user=lead, proposal=proposal, email="nobody@example.kr")
    assert refused.value.code == "unknown_member"


def test_only_the_lead_may_submit(call):
    proposal = draft(group(call, 1)[0], call)
    stranger = HouseholdFactory().user
    with pytest.raises(CommunityError) as refused:
        proposal_submit(user=stranger, proposal=proposal)
    assert refused.value.code == "not_found"


def test_registration_numbers_are_refused_in_the_plan(call):
    with pytest.raises(CommunityError) as refused:
        draft(group(call, 1)[0], call, plan="리더 900101-1234567")
    assert refused.value.field == "plan"
