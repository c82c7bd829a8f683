"""Proactive outreach at city scale (issue 15): `python -m bench outreach`.

On the bench database's households (1.6 million on PostgreSQL):
- finding who qualifies for a new program, compiled SQL against the Python engine, side by side in one
  run with equal verdicts (bench/eligibility_match.py);
- "may also qualify" for one household across every open program (distinct households: no cache);
- queuing the notices of a program that ~100,000 opted-in households match: time, the Python heap's
  peak (tracemalloc) and duplicates after the task ran twice;
- the impact preview a program manager sees before publishing (p95).
"""

from __future__ import annotations

import itertools
import time
import tracemalloc
from datetime import date

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Mod
from django.utils import timezone

OPT_IN_VERSION = "bench"
OPT_IN_EVERY = 5  # every 5th household opted in: 320,000 of 1.6 million
PROGRAM_SLUG = "bench-outreach"


def ensure_income_support() -> int:
    """The generated households never answer the public-assistance question (bench/dataset.py draws
    from a seeded random sequence that other rows depend on): answer it here, deterministically by id
    (one in ten basic livelihood, one in ten near-poverty, the rest none), so the outreach rows' rule
    on it finds eligible households as well as ineligible ones. Once; kept for the next run."""
    from households.models import Household, IncomeSupport

    blank = Household.objects.filter(income_support="")
    if not blank.exists():
        return 0
    slot = Mod("id", 10)
    changed = 0
    for value, slots in (
        (IncomeSupport.BASIC_LIVELIHOOD, [0]),
        (IncomeSupport.NEAR_POVERTY, [1]),
        (IncomeSupport.NONE, list(range(2, 10))),
    ):
        changed += blank.annotate(slot=slot).filter(slot__in=slots).update(income_support=value)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE households_household")
    return changed


def _ensure_opt_ins() -> int:
    """Give every OPT_IN_EVERY-th household the OUTREACH consent (once; kept for the next run)."""
    from households.models import Consent, Household

    wanted = Household.objects.annotate(slot=Mod("id", OPT_IN_EVERY)).filter(slot=0)
    have = Consent.objects.filter(purpose=Consent.Purpose.OUTREACH, version=OPT_IN_VERSION).count()
    target = wanted.count()
    if have == target:
        return have
    Consent.objects.filter(purpose=Consent.Purpose.OUTREACH).delete()
    now = timezone.now()
    users = wanted.order_by("pk").values_list("user_id", flat=True).iterator(chunk_size=10_000)
    while batch := list(itertools.islice(users, 10_000)):
        with transaction.atomic():
            Consent.objects.bulk_create(
                [
                    Consent(
                        user_id=pk, purpose=Consent.Purpose.OUTREACH, version=OPT_IN_VERSION, given_at=now
                    )
                    for pk in batch
                ]
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE households_consent")
    return target


def _outreach_program():
    """A city-wide program open today for residents earning at most 3,300,000 won a month who rent:
    a third of the households, so about 107,000 of the 320,000 opted in."""
    from portal.models import City
    from programs.models import Criterion, CriterionGroup, Logic, Program
    from programs.services import program_rules_changed

    program = Program.objects.filter(slug=PROGRAM_SLUG, rule_version__gte=1).first()
    if program is not None and not Criterion.objects.filter(group__program=program, value=3_300_000).exists():
        program.slug = f"{PROGRAM_SLUG}-{program.pk}"  # an earlier run's rules: set aside, not reused
        program.status = "archived"
        program.save(update_fields=["slug", "status"])
        program = None
    if program is None:
        program = Program.objects.create(
            slug=PROGRAM_SLUG,
            title="1인가구 주거비 지원 (벤치마크)",
            title_en="Housing cost support (benchmark)",
            summary="벤치마크용",
            category="housing",
            benefit_type="cash",
            target_text="임차 1인가구",
            benefit_text="월세 지원",
            how_to_apply="온라인",
            department="벤치마크",
            contact="-",
            status="published",
            city=City.objects.get(code="11"),
            district=None,
        )
        root = CriterionGroup.objects.create(program=program, logic=Logic.ALL)
        Criterion.objects.create(
            group=root,
            position=0,
            field="monthly_income",
            operator="lte",
            value=3_300_000,
            explanation="소득",
        )
        Criterion.objects.create(
            group=root,
            position=1,
            field="housing_tenure",
            operator="in",
            value=["jeonse", "monthly_rent", "public_rental"],
            explanation="임차",
        )
        program_rules_changed(program=program)
    return program


def queue_notices() -> list[str]:
    """Queue the notices of a program ~100,000 opted-in households match, twice; returns the lines."""
    from portal.models import QueuedTask
    from programs.models import OutreachNotice
    from programs.services import outreach

    opted = _ensure_opt_ins()
    program = _outreach_program()
    OutreachNotice.objects.filter(program=program).delete()
    QueuedTask.objects.filter(name=outreach.DELIVER_TASK).delete()
    tracemalloc.start()
    started = time.perf_counter()
    noted = outreach.outreach_match_program(program_id=program.pk)
    first = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    started = time.perf_counter()
    again = outreach.outreach_match_program(program_id=program.pk)
    second = time.perf_counter() - started
    rows = OutreachNotice.objects.filter(program=program)
    duplicates = rows.values("household_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    return [
        f"outreach: {opted:,} households opted in; queuing the notices of one program: {noted:,} matched "
        f"and queued in {first:.1f} s (target ≤ 60 s), Python heap peak {peak / 2**20:.1f} MB "
        f"(batches of {outreach.MATCH_BATCH:,}: flat); run again: {again} new in {second:.1f} s; "
        f"{rows.count():,} notices, {duplicates} duplicates (target 0)",
    ]


def outreach_scenarios(requests: int):
    """(label, call, target) rows: "may also qualify" and the impact preview."""
    from bench.review import caseworker
    from households.models import Household
    from portal.models import User
    from programs.selectors import programs_may_qualify
    from programs.services import outreach

    households = itertools.cycle(
        list(
            Household.objects.select_related("district__city", "user").order_by("pk")[
                1000 : 1000 + requests + 20
            ]
        )
    )

    def may_qualify():
        programs_may_qualify(household=next(households), on=date.today())

    # Steady state: a web process has read each district's open programs once since the catalogue last
    # changed (programs.selectors.open_programs_list); each measured call judges a household not judged
    # before (its outcomes are not in the cache).
    from portal.models import District

    for district_id in District.objects.values_list("pk", flat=True):
        first = Household.objects.filter(district_id=district_id).select_related("district__city").first()
        if first is not None:
            programs_may_qualify(household=first, on=date.today())

    program = _outreach_program()
    manager, _created = User.objects.get_or_create(
        email="bench-city-admin@bench.invalid", defaults={"password": "!", "role": User.Role.CITY_ADMIN}
    )
    district_staff = caseworker()

    def impact_city():
        outreach.outreach_impact(program, user=manager)

    def impact_district():
        outreach.outreach_impact(program, user=district_staff)

    return [
        ("'may also qualify', one household, every program", may_qualify, "≤ 5 ms", requests),
        ("impact preview, city admin (whole city)", impact_city, "p95 ≤ 1 s", 10),
        ("impact preview, district caseworker", impact_district, "p95 ≤ 1 s", 10),
    ]
