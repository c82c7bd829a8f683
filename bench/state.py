"""What the bench database holds, and set-wise ways to clear it.

The data set is made of components — `base` (programs and households: everything else hangs off the
households), `applications`, `kit_requests`, `bookings` — each generated from a spec (its sizes and
GENERATION). A component's spec is written to the `bench_dataset` table only once its generation has
finished, in the same transaction as its last insert where it has one: a run that was killed halfway
leaves no marker, and the next run regenerates that component instead of measuring a partial data set.

A component whose marker matches the run's spec is reused as it is. A stale `base` (or any stale
component on SQLite) means a fresh database: the bench database is dropped and migrated again, which
clears every row any earlier run or scenario left behind in one statement. Another stale component is
cleared with TRUNCATE … CASCADE of its own tables (history tables included) on PostgreSQL: no ORM
delete, so no per-row signals or history rows. Everything here refuses to run unless the connection
points at the bench database (`<name>_bench` or var/bench.sqlite3).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import connection

# Bump when a generator changes what it produces: every data set of an older generation is regenerated.
GENERATION = 2
MARKER_TABLE = "bench_dataset"
COMPONENTS = ("base", "applications", "kit_requests", "bookings", "inquiries")
# A stale component's own tables, cleared with TRUNCATE … CASCADE (PostgreSQL follows the foreign keys
# to the rows that point at them: notes, documents, visits, sessions, …). History tables have no
# foreign key to their model, so they are listed.
COMPONENT_TABLES = {
    "applications": ["programs_application", "programs_historicalapplication"],
    "kit_requests": ["safety_kitrequest", "safety_historicalkitrequest"],
    "bookings": ["spaces_booking", "spaces_historicalbooking"],
    "inquiries": ["inquiries_inquiry", "inquiries_historicalinquiry", "inquiries_team"],
}


def is_bench_database() -> bool:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        return name.endswith("_bench")
    return Path(name).name == "bench.sqlite3"


def _guard() -> None:
    if not is_bench_database():
        raise SystemExit(f"refusing to change {connection.settings_dict['NAME']}: not the bench database")


def _ensure_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} "
            "(component varchar(40) PRIMARY KEY, spec text NOT NULL)"
        )


def spec(**sizes) -> dict:
    return {"generation": GENERATION, **sizes}


def recorded() -> dict[str, dict]:
    """The components whose generation finished, with their specs."""
    _guard()
    _ensure_marker_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT component, spec FROM {MARKER_TABLE}")
        return {component: json.loads(text) for component, text in cursor.fetchall()}


def record(component: str, component_spec: dict) -> None:
    """Mark `component` complete (call it inside the transaction of its last insert where there is one)."""
    _guard()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE component = %s", [component])
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (component, spec) VALUES (%s, %s)",
            [component, json.dumps(component_spec, sort_keys=True)],
        )


def forget(component: str) -> None:
    _guard()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE component = %s", [component])


def stale(wanted: dict[str, dict]) -> list[str]:
    """The wanted components the database does not hold complete, with exactly these specs."""
    have = recorded()
    return [component for component, want in wanted.items() if have.get(component) != want]


def clear_component(component: str) -> None:
    """Empty one component's tables set-wise (PostgreSQL: TRUNCATE … CASCADE); its marker goes first."""
    _guard()
    forget(component)
    tables = ", ".join(COMPONENT_TABLES[component])
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")


def recreate_database() -> None:
    """Drop the bench database and migrate a fresh one: every row of every earlier run gone at once."""
    from django.core.management import call_command

    _guard()
    settings = connection.settings_dict
    connection.close()
    if connection.vendor == "postgresql":
        import psycopg

        conninfo = {
            "host": settings.get("HOST") or "127.0.0.1",
            "port": settings.get("PORT") or 5432,
            "user": settings.get("USER") or "postgres",
            "dbname": "postgres",
        }
        if settings.get("PASSWORD"):
            conninfo["password"] = settings["PASSWORD"]
        name = settings["NAME"]
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        Path(settings["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    _ensure_marker_table()


def delete_where(table: str, where: str, params: list | tuple = ()) -> int:
    """DELETE … WHERE in one statement (no model instances, no signals, no history rows)."""
    _guard()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
        return cursor.rowcount
