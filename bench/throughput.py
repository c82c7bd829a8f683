"""The throughput rows of `make bench` (`python -m bench throughput` runs only them).

The issue's protocol: gunicorn with 2 sync workers and the production settings (DEBUG off, manifest static
files, SSL redirect, secure cookies, Redis cache and broker when REDIS_URL is set) on the demo data, in a
database of its own (`<name>_throughput` on PostgreSQL, var/bench-throughput.sqlite3 on SQLite; prepared
by bench/throughput_prepare.py and reused while the demo data and migrations are unchanged). `wrk -t2 -c16
-d15s` against each page and against a bare view — `HttpResponse("ok")` behind the same middleware
(bench/throughput_urls.py) — in the same run, three rounds, each round going through every row once so
that drift on the machine touches every row alike; the table shows the median req/s, its ratio to the
bare view's median, and the median CPU per request of the two workers (utime + stime from /proc, see
bench/proc_cpu.py; PostgreSQL's and Redis's own CPU are not in it). `--quick`: 5-second runs, one round.

Every request is sent as the TLS-terminating proxy would forward it (`X-Forwarded-Proto: https`), so the
production settings stay as they are (SSL redirect on). A row counts only if every response was a 200:
wrk's "Non-2xx or 3xx responses" and timeouts make a row invalid, and because wrk counts a 3xx as a
success, each page is also requested once before and after its runs and must answer exactly 200.

The "(uncached)" rows are measured on a second gunicorn started with HANA_PAGE_CACHE=off: the page cache
(a catalog version bumped on every change) answers those pages from its cache, so with it off every
request costs what the first request after a change does.

Left as production has them: the access log (hana.access: one JSON line per request, part of a request's
cost; its level is its own, INFO, not LOG_LEVEL's, so the server's stdout is discarded instead of
silenced) and the Prometheus multiprocess counters. Changed for the run: API throttles raised (or wrk
would measure 429s), gunicorn's max_requests off (a worker restart re-imports Django, about a second of
CPU, every ~1,000 requests: a memory guard, not a cost of the page), LOG_LEVEL=WARNING.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench import wrk
from bench.throughput_server import PROXY_HEADERS, WORK, Server, ThroughputError, free_port, login, request
from bench.throughput_stats import Sample, Summary, Target, median_rps, summarise, verdict

ROOT = Path(__file__).resolve().parent.parent
ROUNDS, SECONDS = 3, 15
QUICK_ROUNDS, QUICK_SECONDS = 1, 5
BARE = "bare view"


@dataclass(frozen=True)
class Page:
    label: str
    path: str  # "{program_id}" is filled in with a demo program's id
    target: Target
    server: str = "main"  # "uncached": the gunicorn started with HANA_PAGE_CACHE=off
    logged_in: bool = False


PAGES = [
    Page(BARE, "/bench/bare", Target()),
    Page("home /", "/", Target(min_ratio=0.3)),
    Page("catalog /programs/", "/programs/", Target(min_ratio=0.3)),
    Page("catalog search /programs/?q=안심", "/programs/?q=" + quote("안심"), Target()),
    Page("program page /programs/<id>/", "/programs/{program_id}/", Target(min_ratio=0.3)),
    Page("programs API /api/v1/programs/", "/api/v1/programs/", Target(min_ratio=0.3)),
    Page("spaces /spaces/", "/spaces/", Target()),
    Page("open data /open-data/programs.json", "/open-data/programs.json", Target()),
    Page("/healthz", "/healthz", Target(min_ratio=0.5)),
    Page("catalog, logged-in resident", "/programs/", Target(min_ratio=0.1), logged_in=True),
    Page("catalog (uncached)", "/programs/", Target(max_cpu_ms=8), server="uncached"),
    Page("programs API (uncached)", "/api/v1/programs/", Target(max_cpu_ms=5), server="uncached"),
]


# --- the environment --------------------------------------------------------------------------------
def throughput_database_url(url: str) -> str:
    """A database of its own next to DATABASE_URL's: demo data, never the city-scale bench data."""
    if url.startswith(("postgres://", "postgresql://")):
        base, _slash, name = url.partition("?")[0].rpartition("/")
        return f"{base}/{name}_throughput"
    return f"sqlite:///{ROOT / 'var' / 'bench-throughput.sqlite3'}"


def server_environment(*, database_url: str, redis_url: str, broker_url: str) -> dict[str, str]:
    """The production configuration, from nothing but environment variables (as .ci/topology.py does)."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
            "PYTHONPATH": str(ROOT),  # this checkout's code, whatever the virtualenv has installed
            "DJANGO_SETTINGS_MODULE": "bench.throughput_settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-throughput-" + secrets.token_hex(16),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
            "GUNICORN_LOG_LEVEL": "warning",
            "API_THROTTLE_ANON": "100000000/min",
            "API_THROTTLE_USER": "100000000/min",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "1",
            "GUNICORN_MAX_REQUESTS": "0",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    if broker_url or redis_url:
        env["CELERY_BROKER_URL"] = broker_url or redis_url
    return env


def prepare(env: dict[str, str]) -> dict:
    """Migrate, collect static files and load the demo data when needed (bench/throughput_prepare.py)."""
    completed = subprocess.run(  # noqa: S603 - this interpreter and a module of this package
        [sys.executable, "-m", "bench.throughput_prepare"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.throughput_settings"},
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise ThroughputError(f"preparing the throughput database failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- the measurement --------------------------------------------------------------------------------
@dataclass
class Measured:
    page: Page
    path: str
    headers: dict[str, str]
    samples: list[Sample]
    problems: list[str]


def check_status(server: Server, row: Measured, when: str) -> None:
    """One request with the headers wrk sends: anything but a 200 (a redirect included) is a problem."""
    status, headers, _body = request(server.port, row.path, headers=row.headers)
    if status != 200:
        where = f" → {headers.get('Location')}" if headers.get("Location") else ""
        row.problems.append(f"{when}: {status}{where}")


def measure_all(
    rows: list[Measured], servers: dict[str, Server], *, rounds: int, seconds: int, progress
) -> None:
    """Warm every page up, then `rounds` rounds, each running wrk once per row in the table's order."""
    for row in rows:
        check_status(servers[row.page.server], row, "before")
    live = [row for row in rows if not row.problems]
    for row in live:
        server = servers[row.page.server]
        wrk.run(
            f"http://127.0.0.1:{server.port}{row.path}", seconds=max(1, seconds // 5), headers=row.headers
        )
    for number in range(1, rounds + 1):
        for row in live:
            server = servers[row.page.server]
            progress(f"throughput round {number}/{rounds}: {row.page.label}")
            before = server.cpu_seconds()
            result = wrk.run(
                f"http://127.0.0.1:{server.port}{row.path}", seconds=seconds, headers=row.headers
            )
            row.samples.append(Sample(wrk=result, cpu_seconds=server.cpu_seconds() - before))
    for row in live:
        check_status(servers[row.page.server], row, "after")


def summaries(rows: list[Measured]) -> list[Summary]:
    bare = next(row for row in rows if row.page.label == BARE)
    bare_rps = median_rps(bare.samples) if not bare.problems else None
    return [
        summarise(
            row.page.label, row.samples, bare_rps=bare_rps, target=row.page.target, problems=row.problems
        )
        for row in rows
    ]


def pad(text: str, width: int) -> str:
    """Left-align in terminal columns: Hangul takes two (the search row's 안심)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def table(results: list[Summary]) -> list[str]:
    lines = [
        f"| {'page':<38} | {'req/s':>8} | {'÷ bare':>6} | {'CPU ms/req':>10} | {'target':<22} |",
        "|" + "-" * 40 + "|" + "-" * 10 + "|" + "-" * 8 + "|" + "-" * 12 + "|" + "-" * 24 + "|",
    ]
    for row in results:
        if row.valid:
            rate = f"{row.requests_per_second:>8.1f}"
            ratio = f"{row.ratio:>6.2f}" if row.ratio is not None else f"{'—':>6}"
            cpu = f"{row.cpu_ms:>10.2f}" if row.cpu_ms is not None else f"{'—':>10}"
        else:
            rate, ratio, cpu = f"{'invalid':>8}", f"{'—':>6}", f"{'—':>10}"
        lines.append(f"| {pad(row.label, 38)} | {rate} | {ratio} | {cpu} | {verdict(row):<22} |")
    for row in results:
        if not row.valid:
            lines.append(f"invalid: {row.label}: {'; '.join(row.problems)}")
    return lines


def run(
    *, database_url: str, redis_url: str, broker_url: str, quick: bool, port: int | None = None
) -> list[str]:
    """Measure the throughput rows; returns the lines to print (a note instead when wrk is missing)."""
    if not wrk.available():
        return [
            "throughput rows skipped: wrk is not installed (apt-get install wrk; `make bench` installs it "
            "when run as root)"
        ]
    rounds, seconds = (QUICK_ROUNDS, QUICK_SECONDS) if quick else (ROUNDS, SECONDS)
    WORK.mkdir(parents=True, exist_ok=True)
    db_url = throughput_database_url(database_url)
    env = server_environment(database_url=db_url, redis_url=redis_url, broker_url=broker_url)
    _progress("throughput: preparing the database (migrate, collectstatic, demo data when changed)")
    info = prepare(env)
    first = port or free_port()
    servers = {
        "main": Server("main", first, env),
        "uncached": Server("uncached", port + 1 if port else free_port(), {**env, "HANA_PAGE_CACHE": "off"}),
    }
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a killed bench still stops its servers
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready()
        cookie = login(servers["main"].port, info["email"], info["password"])
        rows = [
            Measured(
                page=page,
                path=page.path.format(program_id=info["program_id"]),
                headers={**PROXY_HEADERS, **({"Cookie": cookie} if page.logged_in else {})},
                samples=[],
                problems=[],
            )
            for page in PAGES
        ]
        load = os.getloadavg()[0]
        measure_all(rows, servers, rounds=rounds, seconds=seconds, progress=_progress)
    finally:
        for server in servers.values():
            server.stop()
        signal.signal(signal.SIGTERM, previous)
    safe_db = db_url.split("@")[-1]
    cache = redis_url.split("@")[-1] if redis_url else "LocMem per worker (no REDIS_URL: not production-like)"
    header = [
        f"Throughput — gunicorn, 2 sync workers, production settings; database {safe_db} "
        f"(demo data {'loaded' if info['loaded'] else 'reused'}); cache {cache}",
        f"wrk -t2 -c16 -d{seconds}s per row, {rounds} round{'s' if rounds > 1 else ''}, medians; "
        f"CPU = the workers' user+system time ÷ requests (database and Redis not included); "
        f"{os.cpu_count()} cores, load average {load:.2f} before the runs",
        "",
    ]
    return header + table(summaries(rows))


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
