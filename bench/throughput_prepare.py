"""`python -m bench.throughput_prepare`: get the throughput database ready, in its own process.

bench/throughput.py runs it with the environment the gunicorn under test gets (DATABASE_URL points at the
throughput database, never the city-scale one), so it sees exactly what the server will see. It creates
the PostgreSQL database when missing, migrates, collects the static files (production's manifest storage
needs them, as the Dockerfile does) and loads the demo data — unless the database already holds the demo
data of this very code: a marker row keeps a fingerprint of the demo package and the migrations, and
load_demo (idempotent, it updates in place) runs again only when that changed. Its last line of output
is JSON for the bench: a demo program's id and the demo resident's credentials.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER_TABLE = "bench_throughput_demo"
RESIDENT_EMAIL = "resident@hana.demo"
APPS = ("portal", "households", "spaces", "lockers", "programs", "safety", "reports", "demo")


def fingerprint() -> str:
    """The demo package's files and every migration's name: when either changes, load_demo runs again."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "demo").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for app in APPS:
        for path in sorted((ROOT / app / "migrations").glob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
    return digest.hexdigest()


def ensure_postgres_database(url: str) -> None:
    import environ
    import psycopg

    parsed = environ.Env.db_url_config(url)
    conninfo = {
        "host": parsed.get("HOST") or "127.0.0.1",
        "port": parsed.get("PORT") or 5432,
        "user": parsed.get("USER") or "postgres",
        "dbname": "postgres",
    }
    if parsed.get("PASSWORD"):
        conninfo["password"] = parsed["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{parsed["NAME"]}"')


def loaded_fingerprint() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (fingerprint text NOT NULL)")
        cursor.execute(f"SELECT fingerprint FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    return row[0] if row else None


def record_fingerprint(value: str) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (fingerprint) VALUES (%s)", [value])


def main() -> int:
    sys.path.insert(0, str(ROOT))
    url = os.environ["DATABASE_URL"]
    if url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    wanted = fingerprint()
    loaded = loaded_fingerprint() != wanted
    if loaded:
        call_command("load_demo", verbosity=0, stdout=sys.stderr)
        record_fingerprint(wanted)

    from demo.loader import DEMO_PASSWORD
    from programs.models import Program

    program_id = Program.objects.published().order_by("pk").values_list("pk", flat=True).first()
    print(
        json.dumps(
            {"loaded": loaded, "program_id": program_id, "email": RESIDENT_EMAIL, "password": DEMO_PASSWORD}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
