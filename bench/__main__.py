"""`make bench`: city-scale benchmarks of the catalog, the programs API and eligibility.

    python -m bench [--quick] [--households N] [--applications N] [--bookings N] … [spaces | reports]

`python -m bench spaces` runs only the community-space rows (and generates only what they need);
`python -m bench reports` only the manager-reports rows (the dashboard at city scale, the CSV export);
`python -m bench outreach` only the outreach rows (who qualifies, SQL against Python; "may also qualify";
queuing 100,000 notices; the impact preview: bench/outreach.py, bench/eligibility_match.py);
`python -m bench care` only the care rows (100,000 check-in enrolments: the morning's creation and
queue, the sweep; a centre's counselling slots: bench/care.py);
`python -m bench benefits` only the cash-benefits row (100,000 instalments scheduled, approved, batched
and exported as the bank-transfer CSV: time and heap peak; bench/benefits.py, its own recipients);
`python -m bench inquiries` only the inquiry rows (1,000,000 inquiries: the admin queue, the breach sweep;
bench/inquiries.py);
`python -m bench throughput` only the throughput rows (gunicorn and wrk on the demo data, see
bench/throughput.py; the full run ends with them, and skips them with a note when wrk is missing).

Runs against DATABASE_URL (Postgres for real figures; it prints which engine it used) but in a
separate database — `<name>_bench` on Postgres, var/bench.sqlite3 on SQLite — so the city-scale data
never lands in the development database. The data set is generated on demand and kept for the next run:
bench.state marks each part complete and regenerates a part whose sizes differ or that was left incomplete.
Requests go through Django's test client in-process: the figures are the application's own time
(routing, ORM, templates), without a network or a WSGI server in front.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure_environment() -> str:
    """Point Django at the bench database and production-like settings, before django.setup()."""
    import environ

    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parsed = environ.Env.db_url_config(url)
        bench_name = f"{parsed['NAME']}_bench"
        _ensure_postgres_database(parsed, bench_name)
        base, _slash, _name = url.partition("?")[0].rpartition("/")
        os.environ["DATABASE_URL"] = f"{base}/{bench_name}"
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["API_THROTTLE_ANON"] = "1000000/min"
    os.environ["API_THROTTLE_USER"] = "1000000/min"
    os.environ["API_THROTTLE_KIOSK"] = "1000000/min"
    os.environ["AXES_ENABLED"] = "false"
    # Tasks are queued to an in-memory broker and never run: request timings exclude background work.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    return os.environ["DATABASE_URL"]


def _ensure_postgres_database(parsed: dict, name: str) -> None:
    import psycopg

    conninfo = {
        "host": parsed.get("HOST") or "127.0.0.1",
        "port": parsed.get("PORT") or 5432,
        "user": parsed.get("USER") or "postgres",
        "dbname": "postgres",
    }
    if parsed.get("PASSWORD"):
        conninfo["password"] = parsed["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def measure(label: str, call, *, repeat: int, target: str) -> dict:
    """Run `call` `repeat` times (after a warm-up) and report p50/p95 and SQL queries per call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(min(10, repeat)):
        call()
    timings = []
    queries = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    timings.sort()
    return {
        "label": label,
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(round(0.95 * len(timings))) - 1)],
        "queries": max(queries),
        "target": target,
    }


QUICK = {
    "households": 20_000,
    "programs": 500,
    "applications": 100_000,
    "kit_requests": 20_000,
    "bookings": 60_000,
    "booking_rooms": 200,
    "requests": 100,
    "inquiries": 100_000,
}


def _sizes(args: argparse.Namespace, vendor: str) -> None:
    """Fill in the sizes left unset: --quick's, else the city-scale defaults (smaller on SQLite)."""
    postgres = vendor == "postgresql"
    defaults = {
        "households": 1_600_000 if postgres else 200_000,
        "programs": 500,
        "applications": 1_000_000,
        "kit_requests": 200_000,
        "bookings": 1_000_000 if postgres else 250_000,
        "booking_rooms": 200,
        "requests": 200,
        "inquiries": 1_000_000 if postgres else 200_000,
    }
    for name, default in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, QUICK[name] if args.quick else default)


def ensure_data(args: argparse.Namespace, *, everything: bool, reports: bool) -> list[str]:
    """Generate the components of the data set this run needs that the bench database does not hold
    complete with these sizes (see bench.state); returns the generated components."""
    from django.db import connection, transaction

    from bench import state

    if args.only == "inquiries":
        # The inquiry rows need no households (guests): only their own component.
        return _ensure_inquiries(args)
    wanted = {"base": state.spec(households=args.households, programs=args.programs)}
    if everything or reports:
        wanted["applications"] = state.spec(total=args.applications)
    if everything:
        wanted["kit_requests"] = state.spec(total=args.kit_requests)
    if args.only not in ("outreach", "care"):  # these rows need the households and programs alone
        wanted["bookings"] = state.spec(total=args.bookings, rooms=args.booking_rooms)
    todo = state.stale(wanted)
    if "base" in todo or (todo and connection.vendor != "postgresql"):
        # Other sizes, or an incomplete data set (a run stopped while generating): start from nothing.
        state.recreate_database()
        todo = list(wanted)
    if "base" in todo:
        from bench.dataset import generate_base

        generate_base(households=args.households, programs=args.programs)
        state.record("base", wanted["base"])
    for component in todo:
        if component == "base":
            continue
        # Cleared, generated and marked complete in one transaction: stopped halfway, nothing changes.
        with transaction.atomic():
            if "base" not in todo:
                state.clear_component(component)
            if component == "applications":
                from bench.applications import generate_applications

                generate_applications(args.applications)
            elif component == "kit_requests":
                from bench.safety import generate_kit_requests

                generate_kit_requests(args.kit_requests)
            else:
                from bench.spaces import generate_bookings

                generate_bookings(args.bookings, args.booking_rooms)
            state.record(component, wanted[component])
    if everything:
        from bench.review import submit_program

        submit_program()
    return todo


def _ensure_inquiries(args: argparse.Namespace) -> list[str]:
    from django.db import connection, transaction

    from bench import state
    from bench.inquiries import GENERATION

    wanted = {"inquiries": state.spec(total=args.inquiries, inquiries_generation=GENERATION)}
    if not state.stale(wanted):
        return []
    if connection.vendor != "postgresql":
        state.recreate_database()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            state.clear_component("inquiries")
        from bench.inquiries import generate_inquiries

        generate_inquiries(args.inquiries)
        state.record("inquiries", wanted["inquiries"])
    return ["inquiries"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes for every size not given: "
        + ", ".join(f"{name.replace('_', '-')} {value:,}" for name, value in QUICK.items()),
    )
    parser.add_argument(
        "--households", type=int, default=None, help="default: 1,600,000 on Postgres, 200,000 on SQLite"
    )
    parser.add_argument("--programs", type=int, default=None, help="default: 500")
    parser.add_argument("--applications", type=int, default=None, help="default: 1,000,000")
    parser.add_argument("--kit-requests", type=int, default=None, help="default: 200,000")
    parser.add_argument(
        "--bookings", type=int, default=None, help="default: 1,000,000 on Postgres, 250,000 on SQLite"
    )
    parser.add_argument("--booking-rooms", type=int, default=None, help="default: 200")
    parser.add_argument(
        "--inquiries", type=int, default=None, help="default: 1,000,000 on Postgres, 200,000 on SQLite"
    )
    parser.add_argument("--requests", type=int, default=None, help="measured calls per row; default: 200")
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="throughput rows: the first of the two TCP ports their gunicorns listen on; default: free ones",
    )
    parser.add_argument(
        "only",
        nargs="?",
        choices=["spaces", "reports", "throughput", "outreach", "care", "benefits", "inquiries"],
        help="run only this group of rows",
    )
    args = parser.parse_args()
    everything = args.only is None
    spaces = everything or args.only == "spaces"
    reports = everything or args.only == "reports"
    outreach = everything or args.only == "outreach"
    care = everything or args.only == "care"
    inquiries = args.only == "inquiries"  # its own data set: run it on its own
    # The throughput rows get their own database next to DATABASE_URL's (configure_environment below
    # points DATABASE_URL at the city-scale one), and REDIS_URL / CELERY_BROKER_URL as given.
    original = {name: os.environ.get(name, "") for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    if args.only == "throughput":
        return print_throughput(original, quick=args.quick, port=args.port)

    database_url = configure_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if args.only == "benefits":  # its own recipients: no city-scale data set needed
        from bench.benefits import run as benefits_run

        print(f"engine: {connection.vendor}")
        for line in benefits_run():
            print(line)
        return 0
    _sizes(args, connection.vendor)

    started = time.perf_counter()
    generated = ensure_data(args, everything=everything, reports=reports)
    setup_seconds = time.perf_counter() - started

    from bench.review import caseworker, outbox_throughput, review_scenarios, submission_scenario
    from bench.safety import kiosk_scenario, kit_admin_scenario
    from bench.scenarios import scenarios
    from bench.spaces import CONTENTION_ROOMS, CONTENTION_THREADS, contention_throughput, spaces_scenarios

    plan = []
    if everything:
        plan += [
            *scenarios(),
            *review_scenarios(),
            submission_scenario(args.requests + 10),
            kit_admin_scenario(caseworker(), args.kit_requests),
            kiosk_scenario(args.requests + 10),
        ]
    notes = []
    if spaces:
        space_rows, notes = spaces_scenarios(args.requests + 10, args.booking_rooms)
        plan += space_rows
    rows = [measure(label, call, repeat=args.requests, target=target) for label, call, target in plan]
    if inquiries:
        from bench.inquiries import queue_scenarios, sweep_rows

        rows += [
            measure(label, call, repeat=repeat, target=target)
            for label, call, target, repeat in queue_scenarios(args.requests)
        ]
        rows += sweep_rows(max(5, args.requests // 10))
    if reports:
        from bench.reports import EXPORT_ROWS, dashboard_scenarios, export_lines, export_probe

        report_rows, report_notes = dashboard_scenarios(args.requests)
        rows += [
            measure(label, call, repeat=repeat, target=target) for label, call, target, repeat in report_rows
        ]
        notes += report_notes
        export_figures = export_lines(export_probe(min(args.applications, EXPORT_ROWS)))
    outreach_lines = []
    if outreach:
        from bench.eligibility_match import match_rows
        from bench.outreach import ensure_income_support, outreach_scenarios, queue_notices

        ensure_income_support()

        rows += [
            measure(label, call, repeat=repeat, target=target)
            for label, call, target, repeat in outreach_scenarios(args.requests)
        ]
        outreach_lines = [
            f"{row['label']}: {row['value']:,.1f} {row['unit']} (target {row['target']}: "
            f"{'met' if row['met'] else 'MISSED'}; verdicts: {row['counts']})"
            for row in match_rows(households_in_db=args.households)
        ]
        outreach_lines += queue_notices()
    care_lines = []
    if care:
        from bench.care import morning_lines, slot_scenario, sweep_lines

        label, call, target, repeat = slot_scenario()
        rows.append(measure(label, call, repeat=repeat, target=target))
        care_lines = morning_lines() + sweep_lines()
    if spaces:
        contention = contention_throughput(skip_households=args.requests + 10)
    if everything:
        sent, seconds = outbox_throughput()

    engine = connection.vendor
    safe_url = database_url.split("@")[-1] if "@" in database_url else database_url
    print()
    print(f"Hana benchmarks — engine: {engine} ({safe_url})")
    sizes = f"{args.applications:,} applications, " if everything or reports else ""
    sizes += f"{args.kit_requests:,} kit requests, " if everything else ""
    if inquiries:
        print(f"data set: {args.inquiries:,} inquiries ({_data_note(generated)} in {setup_seconds:.1f} s)")
    else:
        print(
            f"data set: {args.households:,} households, {args.programs:,} programs, {sizes}"
            f"{args.bookings:,} bookings in {args.booking_rooms} rooms "
            f"({_data_note(generated)} in {setup_seconds:.1f} s); "
            f"{args.requests} measured calls per row"
        )
    print()
    header = f"| {'scenario':<46} | {'p50 ms':>7} | {'p95 ms':>7} | {'SQL/req':>7} | {'target':<26} |"
    print(header)
    print("|" + "-" * 48 + "|" + "-" * 9 + "|" + "-" * 9 + "|" + "-" * 9 + "|" + "-" * 28 + "|")
    for row in rows:
        print(
            f"| {row['label']:<46} | {row['p50']:>7.1f} | {row['p95']:>7.1f} | {row['queries']:>7} | "
            f"{row['target']:<26} |"
        )
    print()
    for note in notes:
        print(f"note: {note}")
    for line in outreach_lines:
        print(line)
    for line in care_lines:
        print(line)
    if reports:
        for line in export_figures:
            print(line)
    if spaces and contention is None:
        print(
            "booking throughput under contention: skipped on SQLite (one writer at a time by design: "
            "transactions begin IMMEDIATE); run it against Postgres"
        )
    elif spaces:
        booked, refused, took = contention
        print(
            f"booking throughput under contention, {CONTENTION_THREADS} threads on distinct slots of "
            f"{CONTENTION_ROOMS} rooms: {booked:,} "
            f"bookings in {took:.2f} s = {booked / took:,.0f} bookings/s, {refused} refused "
            "(target ≥ 100/s, none refused)"
        )
    if everything:
        print(
            f"outbox dispatch, one process, console email backend: {sent:,} messages in {seconds:.2f} s "
            f"= {sent / seconds:,.0f} messages/s (target ≥ 200/s)"
        )
    if everything:
        print()
        return print_throughput(original, quick=args.quick, port=args.port)
    return 0


def print_throughput(original: dict[str, str], *, quick: bool, port: int | None) -> int:
    """The throughput table (bench/throughput.py); a note instead when it cannot be measured."""
    from bench.throughput import ThroughputError, run

    try:
        lines = run(
            database_url=original["DATABASE_URL"],
            redis_url=original["REDIS_URL"],
            broker_url=original["CELERY_BROKER_URL"],
            quick=quick,
            port=port,
        )
    except ThroughputError as error:
        lines = [f"throughput rows not measured: {error}"]
    except KeyboardInterrupt:
        print("throughput rows interrupted (their gunicorns were stopped)")
        return 130
    for line in lines:
        print(line)
    return 0


def _data_note(generated: list[str]) -> str:
    if not generated:
        return "reused"
    return "generated: " + ", ".join(name.replace("_", " ") for name in generated)


if __name__ == "__main__":
    raise SystemExit(main())
