"""The arithmetic of the throughput rows: medians over rounds, the ratio to the bare view, CPU per request
and whether a row meets its target. Pure functions, so tests can check them without a server."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from bench.wrk import WrkResult


@dataclass(frozen=True)
class Target:
    """What the issue asks of a row: a share of the bare view's req/s (min_ratio), or at most so many
    milliseconds of worker CPU per request (max_cpu_ms). Neither: the row is printed for information."""

    min_ratio: float | None = None
    max_cpu_ms: float | None = None

    def describe(self) -> str:
        if self.min_ratio is not None:
            return f"≥ {self.min_ratio:g} × bare"
        if self.max_cpu_ms is not None:
            return f"CPU ≤ {self.max_cpu_ms:g} ms"
        return ""

    def met(self, ratio: float | None, cpu_ms: float | None) -> bool | None:
        """True/False when the row has a target and the figure it needs; None otherwise."""
        if self.min_ratio is not None and ratio is not None:
            return ratio >= self.min_ratio
        if self.max_cpu_ms is not None and cpu_ms is not None:
            return cpu_ms <= self.max_cpu_ms
        return None


@dataclass(frozen=True)
class Sample:
    """One wrk run of one row in one round, with the workers' CPU seconds it cost."""

    wrk: WrkResult
    cpu_seconds: float


@dataclass
class Summary:
    label: str
    target: Target
    requests_per_second: float | None = None
    ratio: float | None = None
    cpu_ms: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def cpu_ms_per_request(cpu_seconds: float, requests: int) -> float | None:
    if requests <= 0:
        return None
    return cpu_seconds * 1000 / requests


def median_rps(samples: list[Sample]) -> float | None:
    return statistics.median(s.wrk.requests_per_second for s in samples) if samples else None


def summarise(
    label: str, samples: list[Sample], *, bare_rps: float | None, target: Target, problems: list[str] = ()
) -> Summary:
    """The row's medians over its rounds. A round with any failed request (non-2xx/3xx or a timeout) makes
    the whole row invalid: its figure is not printed, the failures are."""
    summary = Summary(label=label, target=target, problems=list(problems))
    failures = sum(s.wrk.failures for s in samples)
    if failures:
        non_2xx = sum(s.wrk.non_2xx_3xx for s in samples)
        timeouts = sum(s.wrk.timeouts for s in samples)
        summary.problems.append(f"{non_2xx} non-2xx/3xx, {timeouts} timeouts")
    if not samples:
        summary.problems.append("not measured")
        return summary
    summary.requests_per_second = median_rps(samples)
    if bare_rps:
        summary.ratio = summary.requests_per_second / bare_rps
    per_request = [cpu_ms_per_request(s.cpu_seconds, s.wrk.requests) for s in samples]
    per_request = [value for value in per_request if value is not None]
    summary.cpu_ms = statistics.median(per_request) if per_request else None
    return summary


def verdict(summary: Summary) -> str:
    """The target column: the target, and whether it was met ("" for a row without a target)."""
    if not summary.valid:
        return f"{summary.target.describe()} INVALID".strip()
    met = summary.target.met(summary.ratio, summary.cpu_ms)
    if met is None:
        return summary.target.describe()
    return f"{summary.target.describe()} {'met' if met else 'MISSED'}"
