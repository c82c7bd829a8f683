"""CPU per request of the public pages on a cache miss: `python -m bench.page_cpu [page ...]`.

    DATABASE_URL=postgres://…/hana python -m bench.page_cpu            # every page below
    DATABASE_URL=postgres://…/hana python -m bench.page_cpu catalog api --requests 500 --profile catalog

Unlike `make bench` this runs against DATABASE_URL itself (e.g. a database with `load_demo`'s data)
and reads nothing but the public pages. Production-like settings (DEBUG off, so the cached template
loader; throttles and lockouts out of the way), Django's test client in-process. It reports the
process's CPU time per request (time.process_time, not the wall clock: on a shared machine other jobs
stretch the wall clock, less so the CPU a request costs), the best of ten rounds, and the queries one
request makes. --profile <page> prints a cProfile of that page's rounds, in CPU time.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CATALOG_QUERIES = [
    "",
    "?category=social",
    "?q=청년",
    "?district=11620&open_now=true",
    "?life_stage=middle_aged&benefit_type=service",
    "?page=2",
    "?women=true&sort=newest",
]


def configure_environment() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "*")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["API_THROTTLE_ANON"] = "1000000/min"
    os.environ["AXES_ENABLED"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def pages() -> dict[str, list[str]]:
    from programs.models import Program

    ids = list(Program.objects.filter(status="published").order_by("pk").values_list("pk", flat=True)[:50])
    return {
        "healthz": ["/healthz"],
        "home": ["/"],
        "catalog": ["/programs/"],
        "catalog-filters": ["/programs/" + query for query in CATALOG_QUERIES],
        "api": ["/api/v1/programs/"],
        "api-filters": ["/api/v1/programs/" + query for query in CATALOG_QUERIES],
        "detail": [f"/programs/{pk}/" for pk in ids],
        "spaces": ["/spaces/"],
        "open-data-json": ["/open-data/programs.json"],
    }


def measure(urls: list[str], requests: int, profile: bool) -> tuple[float, list[int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cycle = itertools.cycle(urls)

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)

    for _ in range(30):  # warm-up: templates compiled, memos filled, connections open
        get(next(cycle))
    queries = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            get(url)
        queries.append(len(captured))
    profiler = cProfile.Profile(time.process_time) if profile else None
    rounds = []
    per_round = max(1, requests // 10)
    for _ in range(10):
        if profiler:
            profiler.enable()
        started = time.process_time()
        for _ in range(per_round):
            get(next(cycle))
        rounds.append((time.process_time() - started) * 1000 / per_round)
        if profiler:
            profiler.disable()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)
    return min(rounds), queries


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_cpu", description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="default: all")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page")
    parser.add_argument("--profile", default="", help="print a CPU profile of this page")
    args = parser.parse_args()
    configure_environment()
    import django

    django.setup()
    from django.db import connection

    table = pages()
    chosen = args.pages or list(table)
    print(f"{connection.vendor}, {args.requests} requests a page, best of 10 rounds")
    print(f"{'page':18s} {'CPU ms/request':>15s}  queries")
    for name in chosen:
        cpu, queries = measure(table[name], args.requests, profile=name == args.profile)
        shown = queries[0] if len(set(queries)) == 1 else f"{min(queries)}–{max(queries)}"
        print(f"{name:18s} {cpu:15.2f}  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
