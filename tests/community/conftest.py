"""Community fixtures: a published call of 관악구 with a two-line rubric, a group of three residents and
evaluators (a caseworker and an appointed citizen)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Appointment, Call, CallCategory, CallStatus, Criterion
from community.services import (
    member_invite,
    member_respond,
    proposal_create,
    proposal_submit,
)
from tests.factories import GWANAK, HouseholdFactory, district


def make_call(
    district_code: str = GWANAK, *, status: str = CallStatus.PUBLISHED, budget: int = 10_000_000, **fields
):
    now = timezone.now()
    call = Call.objects.create(
        district=district(district_code),
        title=fields.pop("title", "2026 마을공동체 공모"),
        budget=budget,
        per_project_limit=fields.pop("per_project_limit", 5_000_000),
        opens_at=fields.pop("opens_at", now - timedelta(days=1)),
        closes_at=fields.pop("closes_at", now + timedelta(days=14)),
        min_members=fields.pop("min_members", 3),
        status=status,
        **fields,
    )
    CallCategory.objects.create(call=call, name="공동체 활동 지원", position=1)
    CallCategory.objects.create(call=call, name="공동체 공간 운영", position=2)
    Criterion.objects.create(call=call, name="공공성", weight=60, position=1)
    Criterion.objects.create(call=call, name="실현 가능성", weight=40, position=2)
    return call


PROPOSAL_TEXT = {
    "group_name": "황학동 책모임",
    "title": "1인가구 함께 읽기",
    "purpose": "이웃과 책을 읽으며 관계를 만든다.",
    "plan": "월 2회 모임, 연말 낭독회.",
    "schedule": "4월–11월",
}


def draft(lead, call, *, amount: int = 3_000_000, **fields):
    return proposal_create(
        user=lead,
        call_id=call.pk,
        category_id=call.categories.first().pk,
        budget_lines=[{"item": "도서 구입", "amount": amount}],
        space_hours_wanted=fields.pop("space_hours_wanted", 20),
        **{**PROPOSAL_TEXT, **fields},
    )


def group(call, size: int = 3):
    """A lead and size-1 confirmed members, all households of the call's district."""
    households = [HouseholdFactory(district=call.district) for _ in range(size)]
    return [h.user for h in households]


def submitted(call, *, amount: int = 3_000_000, size: int = 3):
    users = group(call, size)
    proposal = draft(users[0], call, amount=amount)
    for user in users[1:]:
        member = member_invite(user=users[0], proposal=proposal, email=user.email)
        member_respond(user=user, member_id=member.pk, accept=True)
    return proposal_submit(user=users[0], proposal=proposal)


@pytest.fixture
def call(db):
    return make_call()


@pytest.fixture
def citizen_evaluator(db, call):
    user = HouseholdFactory(district=call.district).user
    Appointment.objects.create(call=call, user=user)
    return user


@pytest.fixture
def staff_evaluator(caseworker_a, call):
    Appointment.objects.create(call=call, user=caseworker_a)
    return caseworker_a
