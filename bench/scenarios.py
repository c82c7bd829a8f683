"""What `make bench` measures: (label, callable, target) rows."""

from __future__ import annotations

import itertools

from django.test import Client

from households.models import Household
from programs.models import Program
from programs.selectors import evaluate_programs, public_programs, rules_changed

CATALOG_QUERIES = [
    "",
    "?category=social",
    "?q=청년",
    "?district=11620&open_now=true",
    "?life_stage=middle_aged&benefit_type=service",
    "?page=5",
    "?women=true&sort=newest",
]


def _cycling_get(client: Client, base: str, queries: list[str]):
    cycle = itertools.cycle(queries)

    def call():
        response = client.get(base + next(cycle))
        if response.status_code != 200:
            raise RuntimeError(f"{base} answered {response.status_code}")

    return call


def scenarios():
    anonymous = Client()
    household = Household.objects.select_related("district__city", "user").order_by("id").first()
    resident = Client()
    resident.force_login(household.user)
    all_programs = list(public_programs().filter(status="published"))

    def eligibility_all_programs():
        evaluate_programs(household=household, programs=all_programs)

    def eligibility_cold_rules():
        rules_changed()  # as right after a manager edits any rule: every tree is compiled again
        evaluate_programs(household=household, programs=all_programs)

    def may_qualify_page():
        response = resident.get("/programs/for-me/")
        if response.status_code != 200:
            raise RuntimeError(f"may-qualify page answered {response.status_code}")

    program_ids = itertools.cycle(
        Program.objects.filter(status="published").values_list("pk", flat=True)[:50]
    )

    def detail_page():
        response = anonymous.get(f"/programs/{next(program_ids)}/")
        if response.status_code != 200:
            raise RuntimeError(f"detail page answered {response.status_code}")

    return [
        (
            "catalog page /programs/ (7 filter mixes)",
            _cycling_get(anonymous, "/programs/", CATALOG_QUERIES),
            "p95 ≤ 80 ms, ≤ 8 queries",
        ),
        (
            "catalog API /api/v1/programs/",
            _cycling_get(anonymous, "/api/v1/programs/", CATALOG_QUERIES),
            "p95 ≤ 60 ms",
        ),
        ("program detail page (anonymous)", detail_page, "—"),
        (f"eligibility, one resident × {len(all_programs)} programs", eligibility_all_programs, "≤ 20 ms"),
        ("  … same, right after a rule change (cold)", eligibility_cold_rules, "—"),
        ("'may qualify' page /programs/for-me/", may_qualify_page, "—"),
    ]
