"""The retention job on many rows: `python -m bench.retention_probe [--rows N]` (default 500,000).

Runs against DATABASE_URL's bench database (`<name>_bench` on PostgreSQL, as `python -m bench`), in its
own process so the peak resident set size it prints is the job's. Inserts N ended notifications and N
audit events (plus what the run's other classes find in the bench data), then runs the whole nightly
job as of 4 years from now, so every one of them is due, and prints the time, the rows per second and
the peak memory. The rows are walked by primary key RETENTION_BATCH_SIZE at a time: memory must stay
flat however many rows are due (target: peak under 200 MB at 500,000 rows of each class).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta


def main() -> None:
    from bench.__main__ import configure_environment

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--run", action="store_true", help="(internal) only run the job, in this process")
    args = parser.parse_args()
    given = dict(os.environ)  # the child derives the bench database from the same DATABASE_URL
    url = configure_environment()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from portal.models import AuditEvent, Notification, User
    from portal.retention import retention_run

    if args.run:
        floor_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        began = time.perf_counter()
        counts = retention_run(now=timezone.now() + timedelta(days=4 * 365))
        seconds = time.perf_counter() - began
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pruned = sum(counts.values())
        result = {
            "database": connection.vendor,
            "counts": counts,
            "seconds": round(seconds, 1),
            "rows_per_second": round(pruned / seconds),
            "peak_mb_after_setup": round(floor_mb),
            "peak_mb": round(peak_mb),
        }
        print(json.dumps(result))
        return

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(email="retention-probe@bench.invalid")
    Notification.objects.filter(user=user).delete()
    chunk = 20_000
    for start in range(0, args.rows, chunk):
        size = min(chunk, args.rows - start)
        Notification.objects.bulk_create(
            Notification(
                user=user,
                channel="email",
                template="bench",
                event_key=f"bench:{time.time_ns()}:{i}",
                status="sent",
                address="retention-probe@bench.invalid",
            )
            for i in range(size)
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(action="bench.probe", subject_user_id=user.pk) for _ in range(size)
        )
    # The job in a fresh process: its peak memory is the job's, not the inserts'.
    run = subprocess.run(
        [sys.executable, "-m", "bench.retention_probe", "--run"],
        capture_output=True,
        text=True,
        check=True,
        env=given,
    )
    print(
        json.dumps(
            {"rows_inserted_per_class": args.rows, "url": url.rpartition("@")[2], **json.loads(run.stdout)}
        )
    )


if __name__ == "__main__":
    main()
