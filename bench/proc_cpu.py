"""CPU time of a gunicorn server's workers, from /proc (Linux), for the throughput rows' CPU per request.

A worker's CPU is its utime + stime (/proc/<pid>/stat, fields 14 and 15, in clock ticks). A worker that
exits during a measurement (a crash, a timeout) and is reaped by the master moves its time into the
master's cutime + cstime (fields 16 and 17), so "live workers + what the master has reaped" only grows,
and the difference between two readings is the workers' CPU between them even when one was replaced.
The master's own utime/stime (its housekeeping loop) is not a request's cost and is left out.
psutil would do the same but is not a dependency of the project.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    utime: int
    stime: int
    cutime: int
    cstime: int


def parse_stat(text: str) -> ProcStat:
    """One /proc/<pid>/stat line. The command name (field 2) is in parentheses and may hold spaces or
    parentheses itself ("(hana-web: worker [x])"), so the fields are counted after its last ')'."""
    head, _sep, tail = text.rpartition(")")
    pid = int(head.split("(", 1)[0])
    fields = tail.split()  # fields[0] is field 3 (state)
    return ProcStat(
        pid=pid,
        ppid=int(fields[1]),
        utime=int(fields[11]),
        stime=int(fields[12]),
        cutime=int(fields[13]),
        cstime=int(fields[14]),
    )


def _read(pid: int | str) -> ProcStat | None:
    try:
        return parse_stat((PROC / str(pid) / "stat").read_text())
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None  # gone between listing and reading


def workers_ticks(stats: list[ProcStat], master_pid: int) -> int:
    """Clock ticks the master's workers used: live children's own time + the reaped children's."""
    total = 0
    for stat in stats:
        if stat.pid == master_pid:
            total += stat.cutime + stat.cstime
        elif stat.ppid == master_pid:
            total += stat.utime + stat.stime
    return total


def workers_cpu_seconds(master_pid: int) -> float:
    stats = [stat for entry in PROC.iterdir() if entry.name.isdigit() and (stat := _read(entry.name))]
    return workers_ticks(stats, master_pid) / os.sysconf("SC_CLK_TCK")
