"""The community API for the real roles: groups, evaluators (independence), staff (scoping, budget),
the public; lists in a constant number of queries."""

from __future__ import annotations

import pytest

from community.models import Appointment, CallStatus, Proposal, ProposalStatus
from community.services import call_advance, conflict_declare, proposal_screen, scoresheet_submit
from portal.models import AuditEvent
from tests.factories import HouseholdFactory, login

from .conftest import draft, group, submitted

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_a_group_drafts_invites_and_submits_over_the_api(client, call):
    lead, second, third = group(call)
    login(client, lead)
    body = {
        "call": call.pk,
        "category": call.categories.first().pk,
        "group_name": "책모임",
        "title": "함께 읽기",
        "purpose": "이웃",
        "plan": "월 2회",
        "schedule": "4–11월",
        "budget_lines": [{"item": "도서", "amount": 500_000}],
    }
    too_much = client.post(
        f"{API}/community/proposals/",
        {**body, "budget_lines": [{"item": "도서", "amount": call.per_project_limit + 1}]},
        content_type="application/json",
    )
    assert too_much.status_code == 400 and too_much.json()["error"]["code"] == "over_limit"
    created = client.post(f"{API}/community/proposals/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    for member in (second, third):
        response = client.post(
            f"{API}/community/proposals/{pk}/members/",
            {"email": member.email},
            content_type="application/json",
        )
        assert response.status_code == 200
    for member in (second, third):
        login(client, member)
        invitation = client.get(f"{API}/community/invitations/").json()["results"][0]
        answered = client.post(
            f"{API}/community/invitations/{invitation['id']}/answer/",
            {"accept": True},
            content_type="application/json",
        )
        assert answered.json()["status"] == "confirmed"
    login(client, lead)
    submitted_ = client.post(f"{API}/community/proposals/{pk}/submit/")
    assert submitted_.status_code == 200 and submitted_.json()["status"] == "submitted"
    login(client, HouseholdFactory().user)
    assert client.get(f"{API}/community/proposals/{pk}/").status_code == 404


def test_evaluators_never_see_others_scores_before_their_own_over_the_api(
    client, call, caseworker_a, manager_a, citizen_evaluator, staff_evaluator
):
    proposal = submitted(call)
    proposal_screen(proposal=proposal, actor=caseworker_a, eligible=True)
    call_advance(call=call, actor=caseworker_a)
    one, two = call.criteria.order_by("position")
    conflict_declare(user=staff_evaluator, proposal_id=proposal.pk, conflicted=False)
    scoresheet_submit(user=staff_evaluator, proposal_id=proposal.pk, scores={str(one.pk): 4, str(two.pk): 4})

    login(client, citizen_evaluator)
    url = f"{API}/community/evaluations/{proposal.pk}/"
    assert client.get(url).json()["sheets"] is None
    assert (
        client.post(url + "declare/", {"conflicted": False}, content_type="application/json").status_code
        == 200
    )
    bad = client.post(url + "score/", {"scores": {str(one.pk): 4}}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_scores"
    assert client.get(url).json()["sheets"] is None
    sent = client.post(
        url + "score/", {"scores": {str(one.pk): 9, str(two.pk): 8}}, content_type="application/json"
    )
    assert sent.status_code == 200
    assert sorted(sheet["total"] for sheet in sent.json()["sheets"]) == [40.0, 86.0]
    again = client.post(
        url + "score/", {"scores": {str(one.pk): 1, str(two.pk): 1}}, content_type="application/json"
    )
    assert again.status_code == 409

    # Staff who do not evaluate: no scores in the staff API until scoring closes.
    login(client, manager_a)
    assert client.get(f"{API}/staff/community/calls/{call.pk}/ranking/").json() == []
    assert client.get(f"{API}/community/evaluations/{proposal.pk}/").status_code == 404


def test_staff_api_is_scoped_logged_and_keeps_the_budget(
    client, call, caseworker_a, caseworker_b, citizen_evaluator
):
    first = submitted(call, amount=5_000_000)
    second = submitted(call, amount=5_000_001 - 1)
    third = submitted(call, amount=1_000_000)
    login(client, caseworker_a)
    for proposal in (first, second, third):
        response = client.post(
            f"{API}/staff/community/proposals/{proposal.pk}/screen/",
            {"eligible": True},
            content_type="application/json",
        )
        assert response.status_code == 200
    refused = client.post(
        f"{API}/staff/community/proposals/{third.pk}/screen/",
        {"eligible": False},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "reason_required"
    client.post(f"{API}/staff/community/calls/{call.pk}/advance/")
    for proposal in (first, second, third):
        conflict_declare(user=citizen_evaluator, proposal_id=proposal.pk, conflicted=False)
        one, two = call.criteria.order_by("position")
        scoresheet_submit(
            user=citizen_evaluator, proposal_id=proposal.pk, scores={str(one.pk): 5, str(two.pk): 5}
        )
    assert (
        client.post(f"{API}/staff/community/calls/{call.pk}/advance/").json()["status"] == CallStatus.DECIDING
    )
    assert len(client.get(f"{API}/staff/community/calls/{call.pk}/ranking/").json()) == 3
    for proposal in (first, second):
        ok = client.post(
            f"{API}/staff/community/proposals/{proposal.pk}/decide/",
            {"select": True},
            content_type="application/json",
        )
        assert ok.status_code == 200
    over = client.post(
        f"{API}/staff/community/proposals/{third.pk}/decide/",
        {"select": True},
        content_type="application/json",
    )
    assert over.status_code == 409 and over.json()["error"]["code"] == "over_budget"
    assert Proposal.objects.filter(status=ProposalStatus.SELECTED).count() == 2

    client.get(f"{API}/staff/community/proposals/{first.pk}/")
    assert AuditEvent.objects.filter(
        action="community.proposal.viewed", subject_user_id=first.lead_id
    ).exists()

    login(client, caseworker_b)
    assert client.get(f"{API}/staff/community/proposals/").json()["results"] == []
    assert client.get(f"{API}/staff/community/proposals/{first.pk}/").status_code == 404
    assert client.get(f"{API}/staff/community/calls/{call.pk}/ranking/").status_code == 404

    login(client, first.lead)  # a resident
    assert client.get(f"{API}/staff/community/proposals/").status_code == 403


def test_lists_use_a_constant_number_of_queries(client, call, caseworker_a, django_assert_max_num_queries):
    Appointment.objects.create(call=call, user=caseworker_a)
    for _ in range(3):
        submitted(call)
    lead = group(call, 1)[0]
    for _ in range(3):
        draft(lead, call)
    login(client, caseworker_a)
    for path in (
        "/staff/community/proposals/",
        "/staff/community/calls/",
        "/staff/community/reports/",
        "/community/evaluations/",
    ):
        with django_assert_max_num_queries(12):
            assert client.get(API + path).status_code == 200
    login(client, lead)
    with django_assert_max_num_queries(12):
        assert len(client.get(f"{API}/community/proposals/").json()["results"]) == 3
    client.logout()
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/community/calls/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/community/projects/").status_code == 200


def test_staff_follow_up_projects_over_the_api(client, call, caseworker_a, caseworker_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from community.services import report_submit

    proposal = submitted(call)
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SELECTED, grant_amount=1_000_000)
    login(client, caseworker_a)
    base = f"{API}/staff/community/proposals/{proposal.pk}/"
    note = client.post(
        base + "visit-notes/",
        {"visited_on": "2026-05-02", "note": "공간 확인"},
        content_type="application/json",
    )
    assert note.status_code == 200
    bad_date = client.post(
        base + "milestones/", {"title": "1차", "due_on": "9999-12-31"}, content_type="application/json"
    )
    assert bad_date.status_code == 400
    assert (
        client.post(
            base + "milestones/", {"title": "1차", "due_on": "2026-06-30"}, content_type="application/json"
        ).status_code
        == 200
    )
    paid = client.post(
        base + "payments/", {"amount": 600_000, "paid_on": "2026-05-10"}, content_type="application/json"
    )
    assert paid.status_code == 200
    over = client.post(
        base + "payments/", {"amount": 400_001, "paid_on": "2026-05-11"}, content_type="application/json"
    )
    assert over.status_code == 400 and over.json()["error"]["code"] == "invalid_amount"
    milestone = proposal.milestones.get()
    report = report_submit(
        user=proposal.lead,
        milestone_id=milestone.pk,
        text="모임",
        receipts=[SimpleUploadedFile("r.pdf", b"%PDF-1")],
    )
    listed = client.get(f"{API}/staff/community/reports/").json()["results"]
    assert [row["id"] for row in listed] == [report.pk] and listed[0]["files"]
    accepted = client.post(
        f"{API}/staff/community/reports/{report.pk}/review/",
        {"accept": True},
        content_type="application/json",
    )
    assert accepted.json()["status"] == "accepted"
    login(client, caseworker_b)
    assert client.get(f"{API}/staff/community/reports/{report.pk}/").status_code == 404
    assert (
        client.post(
            base + "payments/", {"amount": 1, "paid_on": "2026-05-10"}, content_type="application/json"
        ).status_code
        == 404
    )
