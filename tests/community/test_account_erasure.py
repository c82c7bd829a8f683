"""A resident who used community building deletes the account: nothing in any table names them."""

from __future__ import annotations

import pytest

from community.models import Appointment, ConflictDeclaration, Proposal, ProposalMember
from community.services import call_advance, conflict_declare, proposal_screen
from households.services import account_delete
from tests.factories import HouseholdFactory, UserFactory, district
from tests.households.test_erasure_everywhere import EMAIL, NAME, PHONE, found_in_tables

from .conftest import draft, submitted

pytestmark = pytest.mark.django_db


def test_a_deleted_account_leaves_nothing_of_the_person(
    call, caseworker_a, django_capture_on_commit_callbacks
):
    user = UserFactory(email=EMAIL)
    HouseholdFactory(user=user, name=NAME, phone=PHONE, district=district(call.district.code))
    with django_capture_on_commit_callbacks(execute=True):
        # Their own draft, which repeats their name and number, and a group they joined.
        mine = draft(user, call, plan=f"연락: {NAME} {PHONE}")
        theirs = submitted(call)
        ProposalMember.objects.create(proposal=theirs, user=user, status="confirmed")
        # And a seat on the panel of another call, with a note.
        Appointment.objects.create(call=call, user=user)
        proposal_screen(proposal=theirs, actor=caseworker_a, eligible=True)
        call_advance(call=call, actor=caseworker_a)
        conflict_declare(user=user, proposal_id=theirs.pk, conflicted=True, note=f"{NAME}의 지인")
        account_delete(user=user)

    assert found_in_tables() == []
    assert not Proposal.objects.filter(pk=mine.pk).exists()
    assert not ProposalMember.objects.filter(user=user).exists()
    assert not Appointment.objects.filter(user=user).exists()
    assert ConflictDeclaration.objects.get(evaluator=user).note == ""
    theirs.refresh_from_db()
    assert theirs.status == "eligible"  # the group's proposal goes on


def test_the_residents_data_download_holds_the_proposals_they_lead_or_joined(call):
    from households.services import account_data_export

    user = HouseholdFactory(district=district(call.district.code)).user
    draft(user, call, plan="골목 정원 가꾸기")
    theirs = submitted(call)
    ProposalMember.objects.create(proposal=theirs, user=user, status="confirmed")
    rows = {row["role"]: row for row in account_data_export(user=user)["community_proposals"]}
    assert set(rows) == {"lead", "member"}
    assert rows["lead"]["plan"] == "골목 정원 가꾸기"  # the lead is also its first confirmed member
    assert rows["member"]["reference"] == theirs.reference and rows["member"]["membership"] == "confirmed"
