"""City-scale applications for the review-queue benchmarks, inserted set-wise in SQL (seconds, not hours)."""

from __future__ import annotations

from django.db import connection

from households.models import Household
from programs.models import Program

PER_HOUSEHOLD_MAX = 10
BENCH_REFERENCE_PREFIX = "HB-"
SUBMIT_SLUG = "bench-submit"  # the submit scenario's program (bench.review), not part of the generated set

# status by a random number r in [0, 1): mostly settled history, a realistic 5% still open.
STATUS_CASE = """
    CASE
        WHEN r < 0.55 THEN 'approved'
        WHEN r < 0.70 THEN 'completed'
        WHEN r < 0.80 THEN 'rejected'
        WHEN r < 0.95 THEN 'cancelled'
        WHEN r < 0.97 THEN 'under_review'
        WHEN r < 0.98 THEN 'submitted'
        WHEN r < 0.99 THEN 'waitlisted'
        ELSE 'info_requested'
    END
"""


def generate_applications(total: int) -> None:
    """`total` applications (at most 10 per household) into an empty applications table: call it in the
    transaction that cleared the table and records the component (see bench.__main__)."""
    households = Household.objects.count()
    per_household = min(PER_HOUSEHOLD_MAX, -(-total // max(households, 1)))
    program_ids = list(
        Program.objects.filter(slug__startswith="bench-")
        .exclude(slug=SUBMIT_SLUG)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if connection.vendor == "postgresql":
        _insert_postgres(program_ids, per_household, total)
    else:
        _insert_sqlite(program_ids, per_household, total)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE programs_application")


def _insert_postgres(program_ids: list[int], per_household: int, total: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO programs_application (
                program_id, household_id, district_id, reference, status, answers, eligibility_verdict,
                eligibility_lines, eligibility_rule_version, submitted_at, decided_at, decision_reason,
                created_at, updated_at)
            SELECT
                (%(programs)s::bigint[])[1 + ((h.id * 7 + k * 37) %% cardinality(%(programs)s::bigint[]))],
                h.id, h.district_id, 'HB-' || h.id || '-' || k, s.status, '{{}}', 'eligible', '[]', 1,
                s.submitted, CASE WHEN s.status IN ('approved', 'completed', 'rejected')
                                  THEN s.submitted + interval '2 days' END,
                CASE WHEN s.status = 'rejected' THEN '선정기준 미충족' ELSE '' END,
                s.submitted, s.submitted
            FROM households_household h
            CROSS JOIN generate_series(1, %(per)s) AS k
            CROSS JOIN LATERAL (
                SELECT {STATUS_CASE} AS status,
                       now() - (random() * interval '400 days') AS submitted
                FROM (SELECT random() + (h.id * 0 + k * 0) AS r) AS rnd
            ) AS s
            ORDER BY h.id, k
            LIMIT %(total)s
            """,
            {"programs": program_ids, "per": per_household, "total": total},
        )


def _insert_sqlite(program_ids: list[int], per_household: int, total: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_programs (n INTEGER PRIMARY KEY, id INTEGER)")
        cursor.executemany("INSERT INTO bench_programs VALUES (?, ?)", list(enumerate(program_ids)))
        cursor.execute(
            f"""
            WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < %s),
            rows AS (
                SELECT h.id AS household_id, h.district_id, k.k,
                       (abs(random()) %% 1000000) / 1000000.0 AS r,
                       datetime('now', '-' || (abs(random()) %% 400) || ' days') AS submitted
                FROM households_household h CROSS JOIN k
                ORDER BY h.id, k.k LIMIT %s
            )
            INSERT INTO programs_application (
                program_id, household_id, district_id, reference, status, answers, eligibility_verdict,
                eligibility_lines, eligibility_rule_version, submitted_at, decision_reason, created_at,
                updated_at)
            SELECT p.id, household_id, district_id, 'HB-' || household_id || '-' || k, {STATUS_CASE}, '{{}}',
                   'eligible', '[]', 1, submitted,
                   CASE WHEN r >= 0.70 AND r < 0.80 THEN '선정기준 미충족' ELSE '' END, submitted, submitted
            FROM rows JOIN bench_programs p ON p.n = (household_id * 7 + k * 37) %% %s
            """,
            [per_household, total, len(program_ids)],
        )
        cursor.execute("DROP TABLE bench_programs")
