"""Who may qualify: one SQL condition (programs.eligibility_sql) against the Python engine over every
household, side by side on the bench database.

`match_rows()` builds a six-criterion rule tree, counts the eligible households in SQL (timed), then
loads every household (only the columns the engine reads, streamed in chunks) and judges each in
Python (timed); it checks that both give the same verdict counts and the same households, and returns
the rows to print: the two times and the speed-up (targets: SQL ≤ 1 s, speed-up ≥ 200×).

The generated households (bench/dataset.py) leave the public-assistance question blank; `make bench`
answers it first (bench.outreach.ensure_income_support), so the rule on it sorts them into all three
verdicts and the equality check covers eligible households too.

Nothing runs at import.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections import Counter
from datetime import date

from django.db.models import Count
from django.utils import timezone

from households.models import Gender, Household, HousingTenure, IncomeSupport
from programs.eligibility import Group, Rule, Verdict, evaluate
from programs.eligibility_sql import compile_tree, eligible_households
from programs.models import Field, Logic, Operator, Parameter
from programs.selectors import eligibility_profile, median_table

SQL_TARGET_MS = 1_000
SPEEDUP_TARGET = 200
SQL_REPEAT = 3
CHUNK = 5_000
# Two districts of the bench data set (Seoul's): 관악구 and 영등포구.
DISTRICTS = ["11620", "11560"]
# The columns the engine reads (programs.selectors.eligibility_profile), nothing else.
PROFILE_COLUMNS = (
    "birth_date",
    "gender",
    "housing_tenure",
    "household_size",
    "monthly_income",
    "employment",
    "income_support",
    "crime_victim",
    "single_parent",
    "disability",
    "district__code",
    "district__city__code",
)


def outreach_tree() -> Group:
    """Young renters of modest income living alone or in two, women or in two districts, not on
    basic livelihood support."""
    return Group(
        logic=Logic.ALL,
        rules=(
            Rule(Field.AGE, Operator.BETWEEN, [19, 39], id=1),
            Rule(
                Field.MONTHLY_INCOME,
                Operator.LTE,
                parameter=Parameter.MEDIAN_INCOME,
                parameter_percent=150,
                id=2,
            ),
            Rule(Field.HOUSING_TENURE, Operator.IN, [HousingTenure.JEONSE, HousingTenure.MONTHLY_RENT], id=3),
            Rule(Field.HOUSEHOLD_SIZE, Operator.LTE, 2, id=5),
            Rule(Field.INCOME_SUPPORT, Operator.NOT_IN, [IncomeSupport.BASIC_LIVELIHOOD], id=6),
        ),
        groups=(
            Group(
                logic=Logic.ANY,
                rules=(
                    Rule(Field.GENDER, Operator.EQ, Gender.FEMALE, id=4),
                    Rule(Field.DISTRICT, Operator.IN, DISTRICTS, id=7),
                ),
            ),
        ),
    )


def match_rows(*, households_in_db: int) -> list[dict]:
    """Rows {label, value, unit, target, met} (the timed ones also p50/p95/queries, as
    bench.__main__.measure gives them). Raises AssertionError when SQL and Python disagree."""
    on = timezone.localdate()
    tree = outreach_tree()
    medians = median_table()

    eligible_count = eligible_households(tree, on=on, medians=medians).count()  # warm-up
    sql_times = []
    for _ in range(SQL_REPEAT):
        started = time.perf_counter()
        eligible_count = eligible_households(tree, on=on, medians=medians).count()
        sql_times.append(time.perf_counter() - started)
    sql_seconds = statistics.median(sql_times)

    started = time.perf_counter()
    python_verdicts, python_ids = _judge_in_python(tree, on=on, medians=medians)
    python_seconds = time.perf_counter() - started

    sql_verdicts, sql_ids = _verdicts_in_sql(tree, on=on, medians=medians)
    assert eligible_count == sql_verdicts[Verdict.ELIGIBLE], (eligible_count, sql_verdicts)
    assert sql_verdicts == python_verdicts, (sql_verdicts, python_verdicts)
    for verdict in (Verdict.ELIGIBLE, Verdict.INELIGIBLE):
        assert _digest(sql_ids[verdict]) == _digest(python_ids[verdict]), f"{verdict} households differ"

    speedup = python_seconds / sql_seconds if sql_seconds else float("inf")
    counts = ", ".join(f"{verdict.value} {sql_verdicts[verdict]:,}" for verdict in Verdict)
    size = f"{households_in_db:,} households"
    return [
        {
            "label": f"eligibility match, SQL count ({size})",
            "value": sql_seconds * 1000,
            "unit": "ms",
            "p50": sql_seconds * 1000,
            "p95": max(sql_times) * 1000,
            "queries": 1,
            "target": f"≤ {SQL_TARGET_MS:,} ms",
            "met": sql_seconds * 1000 <= SQL_TARGET_MS,
            "counts": counts,
        },
        {
            "label": f"eligibility match, Python over all ({size})",
            "value": python_seconds * 1000,
            "unit": "ms",
            "p50": python_seconds * 1000,
            "p95": python_seconds * 1000,
            "queries": max(1, -(-sum(python_verdicts.values()) // CHUNK)),
            "target": "reference",
            "met": True,
            "counts": counts,
        },
        {
            "label": "eligibility match, SQL speed-up over Python",
            "value": speedup,
            "unit": "×",
            "target": f"≥ {SPEEDUP_TARGET}×",
            "met": speedup >= SPEEDUP_TARGET,
            "counts": counts,
        },
    ]


def _judge_in_python(tree: Group, *, on: date, medians) -> tuple[Counter, dict[str, list[int]]]:
    verdicts: Counter = Counter(dict.fromkeys(Verdict, 0))
    ids: dict[str, list[int]] = {Verdict.ELIGIBLE: [], Verdict.INELIGIBLE: []}
    households = Household.objects.select_related("district__city").only("pk", *PROFILE_COLUMNS)
    for household in households.iterator(chunk_size=CHUNK):
        verdict = evaluate(tree, eligibility_profile(household, on=on), medians=medians, on=on).verdict
        verdicts[verdict] += 1
        if verdict in ids:
            ids[verdict].append(household.pk)
    return verdicts, ids


def _verdicts_in_sql(tree: Group, *, on: date, medians) -> tuple[Counter, dict[str, list[int]]]:
    compiled = compile_tree(tree, on=on, medians=medians)
    totals = Household.objects.aggregate(
        total=Count("pk"),
        eligible=Count("pk", filter=compiled.passes),
        ineligible=Count("pk", filter=compiled.fails),
    )
    verdicts = Counter(
        {
            Verdict.ELIGIBLE: totals["eligible"],
            Verdict.INELIGIBLE: totals["ineligible"],
            Verdict.NEEDS_INFO: totals["total"] - totals["eligible"] - totals["ineligible"],
        }
    )
    ids = {
        Verdict.ELIGIBLE: list(Household.objects.filter(compiled.passes).values_list("pk", flat=True)),
        Verdict.INELIGIBLE: list(Household.objects.filter(compiled.fails).values_list("pk", flat=True)),
    }
    return verdicts, ids


def _digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()
