"""Beat's heartbeat: a task beat schedules every minute and a worker runs, leaving the time in the cache.

/healthz and /metrics read its age. A fresh heartbeat proves the whole scheduled-work path: beat is
ticking, the broker carries its messages and a worker runs them. Nothing else notices when beat stops:
lotteries, reminders and the outbox sweeps would just silently never run. The cache is Redis whenever a
broker is (REDIS_URL), shared by the worker that writes and the web nodes that read.
"""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache

CACHE_KEY = "hana:beat-heartbeat"
EVERY_SECONDS = 60
# Three missed beats before /healthz says "stale": one late tick or a worker restart is not an alarm.
STALE_AFTER_SECONDS = 3 * EVERY_SECONDS
# Kept well past "stale", so a long-dead beat reads as stale with its age rather than as never seen.
KEEP_SECONDS = 24 * 3600


@shared_task(name="portal.heartbeat.beat", ignore_result=True)
def beat() -> None:
    cache.set(CACHE_KEY, time.time(), KEEP_SECONDS)


def last_beat() -> float | None:
    value = cache.get(CACHE_KEY)
    return float(value) if value is not None else None


def age_seconds() -> float | None:
    """Seconds since the last heartbeat; None when none is known (or the cache does not answer)."""
    try:
        last = last_beat()
    except Exception:  # noqa: BLE001 - the cache's own check reports a broken cache; here it is unknown
        return None
    return max(time.time() - last, 0.0) if last is not None else None
