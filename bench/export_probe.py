"""The CSV export benchmark's own process: `python -m bench.export_probe [--rows 1000000]`.

Run by `python -m bench reports` in a fresh interpreter, so that the peak resident set size it reports
is the export's process alone, not the bench's with its data generation and test client (see peak_mb():
on Linux that is VmHWM, as getrusage's ru_maxrss is inherited across exec; both are printed). It prints
one JSON object per line:

    {"probe": "start", "peak_mb": …}                    after django.setup(): the floor the export adds to
    {"probe": "export", "rows": …, "seconds": …, "rows_per_s": …, "bytes": …, "peak_mb": …}
    {"probe": "copy", "rows": …, "seconds": …, "rows_per_s": …, "bytes": …}   PostgreSQL only
    {"probe": "copy", "skipped": "…"}                   on SQLite

The export is export_applications_csv() — the real exporter, CSV writer and streamed read — into
os.devnull; the baseline is PostgreSQL's own `COPY (<the export's query>) TO STDOUT WITH CSV`, read
block by block through psycopg 3, in the same process after the export's peak has been recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

CONFIGURED = (
    "HANA_BENCH_CONFIGURED"  # set by the parent bench: the environment already points at the bench db
)


class CountingSink:
    """A binary file that counts what it is given and passes it on."""

    def __init__(self, out):
        self.out = out
        self.bytes = 0

    def write(self, data) -> int:
        self.bytes += len(data)
        return self.out.write(data)


def peak_mb() -> float:
    """The process's peak resident set size so far, in MB: VmHWM of /proc/self/status on Linux.

    Not getrusage's ru_maxrss there: Linux carries ru_maxrss over execve() from the process that
    spawned us (the bench, hundreds of MB after generating the data set), so a fresh interpreter would
    report its parent's peak. VmHWM is the high-water mark of this process's own address space.
    Elsewhere ru_maxrss (KiB on Linux and the BSDs, bytes on macOS) is the best there is.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / 1024 / (1024 if sys.platform == "darwin" else 1)


def ru_maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(**fields) -> None:
    print(json.dumps(fields), flush=True)


def export(rows: int) -> None:
    from reports.exports.bench_support import export_applications_csv

    with open(os.devnull, "wb") as devnull:
        sink = CountingSink(devnull)
        started = time.perf_counter()
        written = export_applications_csv(sink, limit=rows)
        seconds = time.perf_counter() - started
    emit(
        probe="export",
        rows=written,
        seconds=round(seconds, 3),
        rows_per_s=round(written / seconds),
        bytes=sink.bytes,
        peak_mb=round(peak_mb(), 1),
        ru_maxrss_mb=round(ru_maxrss_mb(), 1),
    )


def copy_baseline(rows: int) -> None:
    from django.db import connection, transaction

    from reports.exports.bench_support import applications_copy_sql

    if connection.vendor != "postgresql":
        emit(probe="copy", skipped="the COPY comparison needs PostgreSQL (this run is on SQLite)")
        return
    sql = applications_copy_sql(limit=rows)
    with open(os.devnull, "wb") as devnull:
        sink = CountingSink(devnull)
        started = time.perf_counter()
        # The export's session settings (see reports.exports.services.bulk_reading), so both cast the
        # same dates to the same text.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(sql) as copy:
                for block in copy:
                    sink.write(block)
            copied = raw.rowcount  # psycopg sets it from the COPY's command tag ("COPY n")
        seconds = time.perf_counter() - started
    emit(
        probe="copy",
        rows=copied,
        seconds=round(seconds, 3),
        rows_per_s=round(copied / seconds),
        bytes=sink.bytes,
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_probe", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if os.environ.get(CONFIGURED):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    else:
        from bench.__main__ import configure_environment

        configure_environment()
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    emit(
        probe="start",
        vendor=connection.vendor,
        peak_mb=round(peak_mb(), 1),
        ru_maxrss_mb=round(ru_maxrss_mb(), 1),
    )
    export(args.rows)
    copy_baseline(args.rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
