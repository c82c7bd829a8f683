"""The web pages, for the real roles: residents draft, invite, join and submit; evaluators declare and
score without seeing others' scores first; district staff rank and decide; the public sees selected
projects by group name only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Appointment, CallStatus, MemberStatus, Proposal, ProposalStatus, ScoreSheet
from community.services import call_advance, conflict_declare, proposal_screen, scoresheet_submit
from tests.factories import HouseholdFactory, login

from .conftest import draft, group, submitted

pytestmark = pytest.mark.django_db


def form_data(call, **overrides):
    data = {
        "group_name": "황학동 책모임",
        "title": "함께 읽기",
        "category": str(call.categories.first().pk),
        "purpose": "이웃 만들기",
        "plan": "월 2회 모임",
        "schedule": "4월–11월",
        "space_hours_wanted": "10",
        "item_1": "도서",
        "amount_1": "300000",
    }
    return {**data, **overrides}


def test_public_pages_answer_anyone(client, call):
    assert client.get(reverse("community:index")).status_code == 200
    page = client.get(reverse("community:call_detail", args=[call.pk]))
    assert page.status_code == 200
    assert "공공성" in page.content.decode()
    assert client.get(reverse("community:projects")).status_code == 200


def test_a_resident_drafts_through_the_form_and_bad_input_keeps_what_was_typed(client, call):
    lead = group(call, 1)[0]
    login(client, lead)
    url = reverse("community:proposal_new", args=[call.pk])
    refused = client.post(url, form_data(call, amount_1=str(call.per_project_limit + 1)))
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "error-summary" in body and "월 2회 모임" in body
    assert client.post(url, form_data(call, amount_1="12abc")).status_code == 200
    created = client.post(url, form_data(call))
    proposal = Proposal.objects.get(lead=lead)
    assert created.status_code == 302 and created.url == reverse(
        "community:proposal_detail", args=[proposal.pk]
    )
    assert proposal.budget_lines.get().amount == 300_000


def test_invite_join_and_submit_through_the_pages(client, call):
    lead, second, third = group(call)
    proposal = draft(lead, call)
    login(client, lead)
    for member in (second, third):
        response = client.post(
            reverse("community:proposal_invite", args=[proposal.pk]), {"email": member.email}
        )
        assert response.status_code == 302
    assert (
        client.post(reverse("community:proposal_invite", args=[proposal.pk]), {"email": "x@"}).status_code
        == 400
    )
    for member in (second, third):
        login(client, member)
        invitation = proposal.members.get(user=member)
        assert str(proposal.title) in client.get(reverse("community:proposal_list")).content.decode()
        client.post(reverse("community:invitation_answer", args=[invitation.pk]), {"answer": "accept"})
        invitation.refresh_from_db()
        assert invitation.status == MemberStatus.CONFIRMED
    login(client, lead)
    client.post(reverse("community:proposal_action", args=[proposal.pk, "submit"]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_someone_elses_proposal_is_not_found(client, call):
    proposal = draft(group(call, 1)[0], call)
    login(client, HouseholdFactory().user)
    assert client.get(reverse("community:proposal_detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("community:proposal_action", args=[proposal.pk, "submit"])).status_code == 404


def test_evaluators_score_on_the_site_and_see_others_only_after(
    client, call, caseworker_a, citizen_evaluator
):
    other = HouseholdFactory(district=call.district).user
    Appointment.objects.create(call=call, user=other)
    proposal = submitted(call)
    proposal_screen(proposal=proposal, actor=caseworker_a, eligible=True)
    call_advance(call=call, actor=caseworker_a)
    one, two = call.criteria.order_by("position")
    conflict_declare(user=other, proposal_id=proposal.pk, conflicted=False)
    scoresheet_submit(user=other, proposal_id=proposal.pk, scores={str(one.pk): 3, str(two.pk): 3})  # 30.00

    login(client, citizen_evaluator)
    assert proposal.title in client.get(reverse("community:evaluate")).content.decode()
    page = client.get(reverse("community:evaluate_proposal", args=[proposal.pk])).content.decode()
    assert "30.00" not in page
    client.post(reverse("community:evaluate_declare", args=[proposal.pk]), {"conflicted": "no"})
    bad = client.post(reverse("community:evaluate_score", args=[proposal.pk]), {f"criterion_{one.pk}": "11"})
    assert bad.status_code == 400 and not ScoreSheet.objects.filter(evaluator=citizen_evaluator).exists()
    client.post(
        reverse("community:evaluate_score", args=[proposal.pk]),
        {f"criterion_{one.pk}": "10", f"criterion_{two.pk}": "10"},
    )
    page = client.get(reverse("community:evaluate_proposal", args=[proposal.pk])).content.decode()
    assert "30.00" in page and "100.00" in page

    login(client, HouseholdFactory().user)  # not appointed
    assert client.get(reverse("community:evaluate_proposal", args=[proposal.pk])).status_code == 404


def test_staff_rank_and_decide_in_their_district_only(
    client, call, caseworker_a, caseworker_b, citizen_evaluator
):
    proposal = submitted(call)
    proposal_screen(proposal=proposal, actor=caseworker_a, eligible=True)
    call_advance(call=call, actor=caseworker_a)
    conflict_declare(user=citizen_evaluator, proposal_id=proposal.pk, conflicted=False)
    one, two = call.criteria.order_by("position")
    scoresheet_submit(
        user=citizen_evaluator, proposal_id=proposal.pk, scores={str(one.pk): 7, str(two.pk): 5}
    )
    login(client, caseworker_a)
    ranking = reverse("community:call_ranking", args=[call.pk])
    assert "62.00" not in client.get(ranking).content.decode()  # scoring still open
    client.post(reverse("community:call_advance", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.DECIDING
    assert "62.00" in client.get(ranking).content.decode()
    client.post(
        reverse("community:proposal_decide", args=[proposal.pk]),
        {"decision": "select", "grant_amount": "2,000,000"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SELECTED and proposal.grant_amount == 2_000_000

    login(client, caseworker_b)
    assert client.get(ranking).status_code == 404
    assert (
        client.post(
            reverse("community:proposal_decide", args=[proposal.pk]), {"decision": "reject"}
        ).status_code
        == 404
    )


def test_public_projects_show_the_group_not_the_people(client, call):
    proposal = submitted(call)
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SELECTED, grant_amount=1_000_000)
    type(call).objects.filter(pk=call.pk).update(status=CallStatus.ANNOUNCED)
    body = client.get(reverse("community:projects")).content.decode()
    assert proposal.group_name in body
    assert proposal.lead.email not in body and proposal.lead.household.name not in body


def test_staff_screen_on_the_call_page(client, call, caseworker_a):
    first, second = submitted(call), submitted(call)
    login(client, caseworker_a)
    page = client.get(reverse("community:call_ranking", args=[call.pk])).content.decode()
    assert first.reference in page
    client.post(reverse("community:proposal_screen", args=[first.pk]), {"eligible": "yes"})
    client.post(reverse("community:proposal_screen", args=[second.pk]), {"eligible": "no"})  # no reason
    client.post(
        reverse("community:proposal_screen", args=[second.pk]), {"eligible": "no", "reason": "구성원 미달"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ProposalStatus.ELIGIBLE, ProposalStatus.INELIGIBLE)
    assert second.screening_reason == "구성원 미달"


def test_project_pages_keep_what_was_typed_on_bad_input(client, call, caseworker_a):
    from datetime import date

    from community.services import milestone_add
    from tests.factories import space_with_room

    proposal = submitted(call)
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SELECTED, space_hours_quota=2)
    room = space_with_room(call.district.code)
    milestone = milestone_add(proposal=proposal, actor=caseworker_a, title="1차", due_on=date(2026, 12, 1))
    login(client, proposal.lead)
    booking_url = reverse("community:project_booking", args=[proposal.pk])
    assert room.name in client.get(booking_url).content.decode()
    bad = client.post(
        booking_url,
        {
            "room": room.pk,
            "date": "9999-12-31",
            "start": "10:00",
            "end": "14:00",
            "headcount": "3",
            "purpose": "책모임",
        },
    )
    assert (
        bad.status_code == 200
        and "error-summary" in bad.content.decode()
        and "책모임" in bad.content.decode()
    )
    report_url = reverse("community:report_new", args=[milestone.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = client.post(
        report_url,
        {"text": "모임 2회 진행", "spent": "0", "photos": SimpleUploadedFile("x.png", b"not an image")},
    )
    assert refused.status_code == 200 and "모임 2회 진행" in refused.content.decode()
    assert not milestone.reports.exists()
    assert client.post(report_url, {"text": "모임 2회 진행", "spent": "0"}).status_code == 302
    assert milestone.reports.count() == 1
    login(client, HouseholdFactory().user)
    assert client.get(booking_url).status_code == 404
    assert client.get(report_url).status_code == 404


def test_list_pages_use_a_constant_number_of_queries(client, call, django_assert_max_num_queries):
    lead = group(call, 1)[0]
    for _ in range(4):
        draft(lead, call)
    for _ in range(3):
        proposal = submitted(call)
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SELECTED)
    type(call).objects.filter(pk=call.pk).update(status=CallStatus.ANNOUNCED)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("community:projects")).status_code == 200
    login(client, lead)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("community:proposal_list")).status_code == 200


def test_the_cached_public_page_changes_with_the_next_selection(client, call):
    proposal = submitted(call)
    type(call).objects.filter(pk=call.pk).update(status=CallStatus.ANNOUNCED)
    assert proposal.group_name not in client.get(reverse("community:projects")).content.decode()
    proposal.status = ProposalStatus.SELECTED
    proposal.save()  # what every service's move does: the page cache's version moves with it
    assert proposal.group_name in client.get(reverse("community:projects")).content.decode()
