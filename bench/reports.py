"""Manager-reports benchmarks (`python -m bench reports`): the CSV export of 1,000,000 applications and the
district dashboard at city scale.

Export: `bench.export_probe` runs in a fresh interpreter (same environment as the bench), so the peak
resident set size it reports is the export's own process; it exports the first 1,000,000 applications
with the real exporter into os.devnull, then runs PostgreSQL's `COPY (<the same query>) TO STDOUT WITH
CSV` in the same process as the baseline. Targets: peak ≤ 200 MB, throughput ≥ 25% of COPY's.

Dashboard: over the data set's households (1,600,000 on PostgreSQL by default, kept for the next run),
/reports/dashboard/ is requested through the test client as a district manager of the
most populous district: cold (the cache cleared before every call: every panel computed), warm (every
panel from the cache) and right after a write (one of the district's applications saved before every
call, so the applications panel is recomputed and the others come from the cache). Target p95 ≤ 500 ms.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from households.models import Household
from portal.models import District, User
from portal.roles import user_set_role
from programs.models import Application

from .export_probe import CONFIGURED

ROOT = Path(__file__).resolve().parent.parent
EXPORT_ROWS = 1_000_000
EXPORT_PEAK_TARGET_MB = 200
EXPORT_COPY_SHARE_TARGET = 0.25
MANAGER_EMAIL = "bench.manager@bench.hana.invalid"
COLD_REPEAT = 30  # every cold call computes every panel: fewer calls
WRITE_REPEAT = 50
DASHBOARD_TARGET = "p95 ≤ 500 ms"


def populous_district() -> District:
    """The Seoul district with the most households (the dashboard's heaviest district view)."""
    top = (
        Household.objects.filter(district__city__code="11")
        .values("district_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "district_id")
        .first()
    )
    return District.objects.get(pk=top["district_id"])


def manager(district: District) -> User:
    user, _created = User.objects.get_or_create(email=MANAGER_EMAIL, defaults={"password": "!"})
    return user_set_role(user=user, role=User.Role.DISTRICT_MANAGER, district=district)


# --- dashboard ----------------------------------------------------------------------------------------


def months_back(today: date, months: int) -> date:
    """The first day of the month `months` before today's month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def dashboard_scenarios(requests: int):
    """Rows for measure(): (label, call, target, repeat), with the notes to print under the table."""
    district = populous_district()
    client = Client()
    client.force_login(manager(district))
    today = timezone.localdate()
    year_url = (
        f"/reports/dashboard/?district={district.code}"
        f"&from={months_back(today, 11):%Y-%m-%d}&to={today:%Y-%m-%d}"
    )
    month_url = f"/reports/dashboard/?district={district.code}&from={today:%Y-%m-01}&to={today:%Y-%m-%d}"

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    def cold(url: str):
        def call():
            cache.clear()
            get(url)

        return call

    # One of the district's applications saved before each call: post_save bumps the district's
    # applications version, so that panel is recomputed and the other five come from the cache.
    application_ids = itertools.cycle(
        Application.objects.filter(district=district).order_by("-pk").values_list("pk", flat=True)[:500]
    )

    def after_write():
        application = Application.objects.get(pk=next(application_ids))
        application.save(update_fields=["updated_at"])
        get(year_url)

    cache.clear()
    response = client.get(year_url)
    if response.status_code != 200 or b"chart-age" not in response.content:
        raise RuntimeError(f"{year_url} did not render the dashboard ({response.status_code})")
    households = Household.objects.filter(district=district).count()
    applications = Application.objects.filter(district=district).count()
    rows = [
        ("dashboard, cold, 12 months (cache cleared)", cold(year_url), DASHBOARD_TARGET, COLD_REPEAT),
        ("dashboard, cold, this month (cache cleared)", cold(month_url), DASHBOARD_TARGET, COLD_REPEAT),
        ("dashboard, warm (cached), 12 months", lambda: get(year_url), DASHBOARD_TARGET, requests),
        ("dashboard, after a write, 12 months", after_write, DASHBOARD_TARGET, WRITE_REPEAT),
    ]
    notes = [
        f"dashboard: district manager of {district.name} ({district.code}, the most populous district: "
        f"{households:,} households, {applications:,} applications); 12 months = "
        f"{months_back(today, 11):%Y-%m-%d}…{today:%Y-%m-%d}; cache: {_cache_backend()}",
        "dashboard, cold: cache.clear() before every call, so all six panels are computed — the honest "
        f"figure ({COLD_REPEAT} calls); warm: every panel from the cache",
        "dashboard, after a write: each call saves one of the district's applications (1 SELECT + "
        "1 UPDATE, counted in the time and SQL) and then renders, so the applications panel is "
        f"recomputed and the other five come from the cache ({WRITE_REPEAT} calls)",
    ]
    return rows, notes


def _cache_backend() -> str:
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"{backend} (in-process)" if backend == "LocMemCache" else backend


# --- CSV export ---------------------------------------------------------------------------------------


def export_probe(rows: int = EXPORT_ROWS) -> dict[str, dict]:
    """Run bench.export_probe in a fresh interpreter with the bench's environment; its JSON lines by name."""
    env = {**os.environ, CONFIGURED: "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export_probe", "--rows", str(rows)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.export_probe failed ({completed.returncode}):\n{completed.stderr}")
    results = {}
    for line in completed.stdout.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
            results[result["probe"]] = result
    return results


def export_lines(results: dict[str, dict]) -> list[str]:
    """The export's figures and targets, as printed under the table."""
    start, export, copy = results["start"], results["export"], results["copy"]
    peak_ok = export["peak_mb"] <= EXPORT_PEAK_TARGET_MB
    lines = [
        f"CSV export of {export['rows']:,} applications (fresh process, to os.devnull): "
        f"{export['seconds']:.1f} s = {export['rows_per_s']:,} rows/s, {export['bytes'] / 1e6:,.0f} MB "
        f"written; peak memory of the process {export['peak_mb']:.0f} MB, "
        f"{start['peak_mb']:.0f} MB of it before the export (Python, Django, the app) "
        f"(target ≤ {EXPORT_PEAK_TARGET_MB} MB: {'met' if peak_ok else 'NOT met'})",
        "  (peak = VmHWM, the high-water mark of the process's own memory: getrusage's ru_maxrss, "
        f"{export['ru_maxrss_mb']:.0f} MB, also counts the bench process that spawned it, as Linux "
        "carries it over exec)",
    ]
    if "skipped" in copy:
        lines.append(f"PostgreSQL COPY baseline: skipped — {copy['skipped']}; run it against Postgres")
        return lines
    share = export["rows_per_s"] / copy["rows_per_s"]
    lines += [
        f"PostgreSQL COPY (same query) TO STDOUT WITH CSV, same process, via psycopg: {copy['rows']:,} "
        f"rows in {copy['seconds']:.1f} s = {copy['rows_per_s']:,} rows/s, "
        f"{copy['bytes'] / 1e6:,.0f} MB",
        f"export throughput = {share:.0%} of COPY's (target ≥ {EXPORT_COPY_SHARE_TARGET:.0%}: "
        f"{'met' if share >= EXPORT_COPY_SHARE_TARGET else 'NOT met'})",
    ]
    return lines
