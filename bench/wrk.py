"""Running wrk and reading what it prints (the throughput rows of `make bench`, bench/throughput.py).

wrk's summary is meant for people, so it is parsed by its labelled lines:

      Latency    45.12ms   10.23ms 200.00ms   80.00%
      5312 requests in 15.02s, 80.12MB read
      Socket errors: connect 0, read 0, write 0, timeout 3
      Non-2xx or 3xx responses: 12
    Requests/sec:    353.66

"Socket errors" and "Non-2xx or 3xx responses" appear only when there were some: a missing line is zero.
A 3xx counts as a success for wrk, so the bench also checks each page answers exactly 200 before and
after it is measured (bench/throughput.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

# wrk prints durations with the largest unit that keeps the number ≥ 1: us, ms, s, m, h.
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}

_LATENCY = re.compile(r"^\s*Latency\s+([\d.]+)(us|ms|s|m|h)\b", re.MULTILINE)
_REQUESTS = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)\s*$", re.MULTILINE)
_SOCKET = re.compile(
    r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*$", re.MULTILINE
)


class WrkOutputError(ValueError):
    """wrk printed something without the lines every run has (a crash, an unreachable server)."""


@dataclass(frozen=True)
class WrkResult:
    requests: int  # completed requests (any status)
    seconds: float  # the run's length as wrk measured it
    requests_per_second: float
    latency_avg_ms: float
    non_2xx_3xx: int  # responses that were neither 2xx nor 3xx
    connect_errors: int = 0
    read_errors: int = 0
    write_errors: int = 0
    timeouts: int = 0

    @property
    def failures(self) -> int:
        """Requests that did not get a 2xx/3xx answer in time: any makes the measurement invalid."""
        return self.non_2xx_3xx + self.timeouts


def to_ms(value: str, unit: str) -> float:
    return float(value) * TIME_UNITS_MS[unit]


def parse(output: str) -> WrkResult:
    requests = _REQUESTS.search(output)
    rate = _RATE.search(output)
    latency = _LATENCY.search(output)
    if not (requests and rate and latency):
        raise WrkOutputError(f"not a wrk summary:\n{output.strip()}")
    non_2xx = _NON_2XX.search(output)
    socket = _SOCKET.search(output)
    connect, read, write, timeout = (int(n) for n in socket.groups()) if socket else (0, 0, 0, 0)
    return WrkResult(
        requests=int(requests.group(1)),
        seconds=to_ms(requests.group(2), requests.group(3)) / 1000,
        requests_per_second=float(rate.group(1)),
        latency_avg_ms=to_ms(*latency.groups()),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        connect_errors=connect,
        read_errors=read,
        write_errors=write,
        timeouts=timeout,
    )


def available() -> bool:
    return shutil.which("wrk") is not None


def command(
    url: str, *, seconds: int, threads: int = 2, connections: int = 16, headers: dict[str, str] | None = None
) -> list[str]:
    """The issue's protocol: `wrk -t2 -c16 -d15s`. The timeout is raised from wrk's 2 s: with 16
    connections queued on 2 sync workers a slow page waits its turn, and a timeout would drop it."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    return [*args, url]


def run(url: str, *, seconds: int, headers: dict[str, str] | None = None) -> WrkResult:
    completed = subprocess.run(  # noqa: S603 - wrk with arguments built here
        command(url, seconds=seconds, headers=headers),
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    if completed.returncode:
        raise WrkOutputError(f"wrk exited with {completed.returncode}: {completed.stderr.strip()}")
    return parse(completed.stdout)
