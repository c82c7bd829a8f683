"""Generates the base of the city-scale data set, programs and households, with bulk inserts (deterministic:
seeded random). bench.__main__ decides when, from the markers in bench.state."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from households.models import Employment, Gender, Household, HousingTenure
from portal.models import District, Neighbourhood, User
from programs.models import (
    BenefitType,
    Category,
    Criterion,
    CriterionGroup,
    Logic,
    Program,
    ProgramStatus,
    SelectionMethod,
)

BATCH = 5_000
BENCH_EMAIL_DOMAIN = "bench.hana.invalid"
BENCH_SLUG_PREFIX = "bench-"
WORDS = [
    "청년",
    "중장년",
    "어르신",
    "여성",
    "안심",
    "주거",
    "건강",
    "소통",
    "공유부엌",
    "상담",
    "일자리",
    "마음",
    "돌봄",
]
CRITERIA_PALETTE = [
    {"field": "age", "operator": "between", "value": [19, 39], "explanation": "만 19~39세"},
    {"field": "age", "operator": "between", "value": [40, 64], "explanation": "만 40~64세"},
    {"field": "age", "operator": "gte", "value": 65, "explanation": "만 65세 이상"},
    {"field": "gender", "operator": "eq", "value": "female", "explanation": "여성"},
    {"field": "household_size", "operator": "eq", "value": 1, "explanation": "1인가구"},
    {
        "field": "monthly_income",
        "operator": "lte",
        "parameter": "median_income",
        "parameter_percent": 150,
        "explanation": "기준중위소득 150% 이하",
    },
    {
        "field": "housing_tenure",
        "operator": "in",
        "value": ["jeonse", "monthly_rent"],
        "explanation": "임차 가구",
    },
    {"field": "crime_victim", "operator": "is_true", "explanation": "범죄 피해자"},
]


def generate_base(*, households: int, programs: int) -> None:
    """Programs and households in an empty bench database (bench.state.recreate_database())."""
    rng = random.Random(20261121)
    _make_programs(rng, 0, programs)
    _make_households(rng, 0, households)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE households_household")
            cursor.execute("ANALYZE portal_user")
            cursor.execute("ANALYZE programs_program")
        else:
            cursor.execute("ANALYZE")


@transaction.atomic
def _make_programs(rng: random.Random, start: int, stop: int) -> None:
    districts = list(District.objects.filter(city__code="11"))
    city = districts[0].city
    today = timezone.localdate()
    rows = []
    for n in range(start, stop):
        district = None if n % 10 == 0 else rng.choice(districts)
        word = rng.choice(WORDS)
        begins = today - timedelta(days=rng.randint(0, 200))
        open_ended = n % 4 == 0
        rows.append(
            Program(
                slug=f"{BENCH_SLUG_PREFIX}{n}",
                title=f"{word} 1인가구 지원사업 {n}",
                title_en=f"Single-person household support {n}",
                summary=f"{word} 1인가구를 위한 지원 사업입니다.",
                summary_en="A support program for people living alone.",
                category=rng.choice(Category.values),
                for_youth=rng.random() < 0.5,
                for_middle_aged=rng.random() < 0.5,
                for_seniors=rng.random() < 0.3,
                for_women=rng.random() < 0.2,
                benefit_type=rng.choice(BenefitType.values),
                target_text=f"{word} 1인가구",
                benefit_text="프로그램 참여 지원",
                how_to_apply="온라인 신청",
                department="1인가구지원과",
                contact="02-000-0000",
                capacity=rng.choice([None, 20, 50, 100]),
                selection_method=rng.choice(SelectionMethod.values),
                status=ProgramStatus.PUBLISHED if n % 20 else ProgramStatus.CLOSED,
                application_start=None if open_ended else begins,
                application_end=None if open_ended else begins + timedelta(days=rng.randint(30, 400)),
                city=city,
                district=district,
            )
        )
    Program.objects.bulk_create(rows, batch_size=BATCH)
    new = list(Program.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).order_by("id")[start:stop])
    roots = CriterionGroup.objects.bulk_create(
        [CriterionGroup(program=p, logic=Logic.ALL) for p in new], batch_size=BATCH
    )
    if not all(r.pk for r in roots):  # SQLite < 3.35 returns no ids from bulk_create
        roots = list(CriterionGroup.objects.filter(program__in=new, parent=None).order_by("program_id"))
    criteria = []
    for root in roots:
        for position, spec in enumerate(rng.sample(CRITERIA_PALETTE, rng.randint(1, 4))):
            criteria.append(Criterion(group=root, position=position, **spec))
    Criterion.objects.bulk_create(criteria, batch_size=BATCH)


def _make_households(rng: random.Random, start: int, stop: int) -> None:
    districts = list(District.objects.filter(city__code="11"))
    neighbourhoods: dict[int, list[Neighbourhood]] = {}
    for nb in Neighbourhood.objects.filter(district__in=districts):
        neighbourhoods.setdefault(nb.district_id, []).append(nb)
    for offset in range(start, stop, BATCH):
        with transaction.atomic():
            upper = min(offset + BATCH, stop)
            users = User.objects.bulk_create(
                [
                    # "!" is an unusable password hash: bench accounts cannot log in with a password.
                    User(email=f"resident{n}@{BENCH_EMAIL_DOMAIN}", password="!", role=User.Role.RESIDENT)
                    for n in range(offset, upper)
                ]
            )
            if not all(u.pk for u in users):
                users = list(
                    User.objects.filter(email__endswith=BENCH_EMAIL_DOMAIN).order_by("id")[offset:upper]
                )
            rows = []
            for user in users:
                district = rng.choice(districts)
                nbs = neighbourhoods.get(district.pk)
                rows.append(
                    Household(
                        user=user,
                        name=rng.choice("김이박최정강조윤장임")
                        + rng.choice(["하나", "민준", "서연", "지우", "도윤"]),
                        birth_date=date(1940, 1, 1) + timedelta(days=rng.randint(0, 66 * 365)),
                        gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                        district=district,
                        neighbourhood=rng.choice(nbs) if nbs else None,
                        housing_tenure=rng.choice(HousingTenure.values),
                        household_size=1,
                        monthly_income=rng.randint(0, 60) * 100_000,
                        employment=rng.choice(Employment.values),
                    )
                )
            Household.objects.bulk_create(rows)
