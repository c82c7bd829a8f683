"""Demo community building (Seoul's 마을공동체 사업, Jung-gu's 정책지원단): in 서울 중구, a call whose results
are announced (two selected projects with milestones, a report and a payment) and an open call with a
draft proposal (members invited) and a submitted one.

Three demo neighbours in 황학동 (community.a/b/c@hana.demo, the demo password) make the groups of three
residents the calls ask for; community.c sits on the citizen panel. Everything goes through
community.services, so audit events and messages are those of real use. Idempotent: a call is only
built when no call of that title exists in the district.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from community.models import Appointment, Call, CallCategory, Criterion, Proposal
from community.services import (
    call_advance,
    conflict_declare,
    member_invite,
    member_respond,
    milestone_add,
    payment_record,
    proposal_create,
    proposal_decide,
    proposal_screen,
    proposal_submit,
    scoresheet_submit,
)
from portal.models import District, User

JUNGGU = "11140"
CLOSED_TITLE = "2026 중구 마을공동체 사업 1차 공모"
OPEN_TITLE = "2026 중구 마을공동체 사업 2차 공모"
CATEGORIES = ["공동체 활동 지원", "공동체 공간 운영"]
RUBRIC = [("공공성", 30), ("주민 참여", 30), ("실현 가능성", 25), ("예산 적정성", 15)]
NEIGHBOURS = [
    ("community.a@hana.demo", "이웃 가"),
    ("community.b@hana.demo", "이웃 나"),
    ("community.c@hana.demo", "정책지원단 시민위원"),
]

PROPOSALS = [
    {
        "group_name": "황학동 공유부엌 모임",
        "title": "1인가구 함께 밥상",
        "purpose": "혼자 사는 이웃이 함께 장을 보고 요리하며 서로 안부를 묻는 관계를 만든다.",
        "plan": "월 2회 공유부엌 요리 모임, 계절별 반찬 나눔, 연말 이웃 잔치.",
        "schedule": "5월–11월, 둘째·넷째 토요일",
        "category": 0,
        "lines": [("식재료", 2_400_000), ("조리도구", 600_000)],
        "space_hours_wanted": 40,
    },
    {
        "group_name": "신당 골목 책방",
        "title": "골목 작은 도서관 운영",
        "purpose": "비어 있는 공간을 주민이 함께 운영하는 작은 도서관으로 만든다.",
        "plan": "주 3회 주민 자원봉사 운영, 월 1회 저자와의 만남.",
        "schedule": "5월–12월",
        "category": 1,
        "lines": [("도서 구입", 2_000_000), ("공간 운영비", 2_000_000)],
        "space_hours_wanted": 60,
    },
]


def _neighbours(today: date) -> list[User]:
    from .loader import DemoAccount, _ensure_household, _ensure_user

    users = []
    for index, (email, name) in enumerate(NEIGHBOURS):
        user = _ensure_user(DemoAccount(email, User.Role.RESIDENT, None, name))
        _ensure_household(
            user,
            district_code=JUNGGU,
            neighbourhood_name="황학동",
            values={
                "name": name,
                "birth_date": date(today.year - 35 - 10 * index, 3, 1),
                "gender": "female" if index % 2 else "male",
                "phone": f"010-5550-000{index}",
                "address_detail": f"황학동 000, {101 + index}호 (예시 주소)",
                "housing_tenure": "monthly_rent",
                "household_size": 1,
                "monthly_income": 2_000_000,
                "employment": "employed",
                "income_support": "none",
                "crime_victim": False,
                "single_parent": False,
                "disability": False,
                "notify_by_email": False,
                "notify_by_sms": False,
            },
        )
        users.append(user)
    return users


def _call(district: District, title: str, *, opens_at: datetime, closes_at: datetime) -> Call:
    call = Call.objects.create(
        district=district,
        title=title,
        description="주민 3명 이상이 함께 제안하는 공동체 활동과 공동체 공간 운영을 지원합니다. "
        "서류 심사, 현장 확인, 정책지원단(시민·전문가) 평가를 거쳐 선정합니다.",
        budget=20_000_000,
        per_project_limit=5_000_000,
        opens_at=opens_at,
        closes_at=closes_at,
        min_members=3,
    )
    for position, name in enumerate(CATEGORIES, start=1):
        CallCategory.objects.create(call=call, name=name, position=position)
    for position, (name, weight) in enumerate(RUBRIC, start=1):
        Criterion.objects.create(call=call, name=name, weight=weight, position=position)
    return call


def _proposal(call: Call, spec: dict, lead: User, members: list[User], *, submit: bool) -> Proposal:
    categories = list(call.categories.order_by("position"))
    proposal = proposal_create(
        user=lead,
        call_id=call.pk,
        category_id=categories[spec["category"]].pk,
        budget_lines=[{"item": item, "amount": amount} for item, amount in spec["lines"]],
        space_hours_wanted=spec["space_hours_wanted"],
        **{key: spec[key] for key in ("group_name", "title", "purpose", "plan", "schedule")},
    )
    for member in members:
        invitation = member_invite(user=lead, proposal=proposal, email=member.email)
        if submit:
            member_respond(user=member, member_id=invitation.pk, accept=True)
    if submit:
        proposal_submit(user=lead, proposal=proposal)
    return proposal


def load_community(*, today: date) -> list[dict[str, str]]:
    """The calls, proposals and projects; returns the group's and the panel's accounts for printing."""
    district = District.objects.get(code=JUNGGU)
    staff = User.objects.get(email="caseworker.junggu@hana.demo")
    resident2 = User.objects.get(email="resident2@hana.demo")
    a, b, panel = _neighbours(today)
    _load_calls(district, staff, resident2, a, b, panel, today)
    from .loader import DEMO_PASSWORD  # the loader imports this module

    roles = (
        "resident, community-building group",
        "resident, community-building group",
        "resident, citizen panel",
    )
    return [
        {"email": user.email, "password": DEMO_PASSWORD, "role": role, "district": str(district)}
        for user, role in zip((a, b, panel), roles, strict=True)
    ]


def _load_calls(district, staff, resident2, a, b, panel, today: date) -> None:
    now = timezone.now()

    if not Call.objects.filter(district=district, title=CLOSED_TITLE).exists():
        call = _call(
            district, CLOSED_TITLE, opens_at=now - timedelta(days=60), closes_at=now + timedelta(days=1)
        )
        for user in (staff, panel):
            Appointment.objects.create(call=call, user=user, appointed_by=staff)
        call_advance(call=call, actor=staff)
        first = _proposal(call, PROPOSALS[0], resident2, [a, b], submit=True)
        second = _proposal(call, PROPOSALS[1], a, [resident2, b], submit=True)
        call_advance(call=call, actor=staff)  # submissions closed
        # The deadline (in the past for the demo) only matters while the call takes proposals.
        Call.objects.filter(pk=call.pk).update(closes_at=now - timedelta(days=30))
        call.refresh_from_db()
        for proposal, points in ((first, (9, 9, 8, 8)), (second, (8, 7, 8, 7))):
            proposal_screen(proposal=proposal, actor=staff, eligible=True)
            for evaluator, bump in ((staff, 0), (panel, -1)):
                conflict_declare(user=evaluator, proposal_id=proposal.pk, conflicted=False)
                criteria = call.criteria.order_by("position")
                scoresheet_submit(
                    user=evaluator,
                    proposal_id=proposal.pk,
                    scores={str(c.pk): max(p + bump, 0) for c, p in zip(criteria, points, strict=True)},
                )
        call_advance(call=call, actor=staff)  # scoring closed
        for proposal in (first, second):
            proposal_decide(proposal=proposal, actor=staff, select=True)
        call_advance(call=call, actor=staff)  # announced
        milestone_add(proposal=first, actor=staff, title="1차 활동 보고", due_on=today + timedelta(days=30))
        milestone_add(proposal=first, actor=staff, title="최종 결과 보고", due_on=today + timedelta(days=150))
        milestone_add(proposal=second, actor=staff, title="1차 활동 보고", due_on=today + timedelta(days=45))
        payment_record(proposal=first, actor=staff, amount=1_500_000, paid_on=today, note="1차 교부")
        Proposal.objects.filter(pk=first.pk).update(
            results="5월부터 공유부엌 요리 모임 4회, 이웃 28명 참여, 반찬 나눔 2회."
        )

    if not Call.objects.filter(district=district, title=OPEN_TITLE).exists():
        call = _call(
            district, OPEN_TITLE, opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=30)
        )
        for user in (staff, panel):
            Appointment.objects.create(call=call, user=user, appointed_by=staff)
        call_advance(call=call, actor=staff)
        _proposal(
            call,
            {**PROPOSALS[0], "title": "황학동 이웃 산책 모임", "group_name": "황학동 산책회"},
            resident2,
            [a, b],
            submit=False,
        )
        _proposal(
            call,
            {**PROPOSALS[1], "title": "골목 공유 공구함", "group_name": "골목 공구함 모임"},
            a,
            [resident2, b],
            submit=True,
        )
