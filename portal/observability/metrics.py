"""Prometheus metrics: requests, Celery tasks, and gauges read from the database at scrape time.

gunicorn runs several worker processes, each with its own counters. With PROMETHEUS_MULTIPROC_DIR set
(gunicorn.conf.py empties it at start and marks dead workers), prometheus_client keeps the values in
files there and a scrape of any worker adds them all up. Without it (runserver, tests) the in-process
registry is used. The Celery worker counts its tasks in its own processes: give it the same
PROMETHEUS_MULTIPROC_DIR when it runs on the web node's machine (the CI topology does), else its
counters are not seen by this endpoint.

Labels are bounded: the resolved URL name (never the raw path), the method (unknown ones as
"other"), the status class ("2xx"), the task name.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "hana_http_requests",
    "HTTP requests answered, by view, method and status class.",
    ["view", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "hana_http_request_duration_seconds",
    "Time to answer an HTTP request in Django, by view and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
CELERY_TASKS = Counter(
    "hana_celery_tasks",
    "Celery tasks finished, by task and outcome (success, failure, retry).",
    ["task", "outcome"],
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    HTTP_REQUESTS.labels(view=view, method=method, status=f"{status // 100}xx").inc()
    HTTP_LATENCY.labels(view=view, method=method).observe(seconds)


def count_task(*, task: str, outcome: str) -> None:
    CELERY_TASKS.labels(task=task, outcome=outcome).inc()


# --- gauges read at scrape time -------------------------------------------------------------------


def oldest_pending_age_seconds() -> float:
    from portal.models import Notification

    oldest = Notification.objects.filter(status="pending").aggregate(oldest=Min("created_at"))["oldest"]
    return max((timezone.now() - oldest).total_seconds(), 0.0) if oldest else 0.0


class DatabaseCollector:
    """Gauges from the database (and the beat heartbeat), computed when Prometheus scrapes, in any
    process: nothing to keep in step between workers. Apps above the core add their own gauges
    through settings.METRICS_EXTRA_COLLECTORS (callables yielding metric families), so the core never
    imports them."""

    def collect(self) -> Iterator[Metric]:
        from portal import heartbeat, notifications, outbox

        up = GaugeMetricFamily("hana_metrics_database_up", "1 when the database answered this scrape.")
        try:
            backlog = GaugeMetricFamily(
                "hana_outbox_notifications", "Outbox rows not yet ended, by status.", labels=["status"]
            )
            for status, count in notifications.outbox_backlog().items():
                backlog.add_metric([status], count)
            age = GaugeMetricFamily(
                "hana_outbox_oldest_pending_age_seconds", "Age of the oldest pending notification (0: none)."
            )
            age.add_metric([], oldest_pending_age_seconds())
            # The task outbox (portal.outbox): work recorded with a change, waiting for the broker.
            queued = outbox.backlog()
            tasks = GaugeMetricFamily(
                "hana_task_outbox", "Task outbox rows not yet published, by status.", labels=["status"]
            )
            for status in ("pending", "failed"):
                tasks.add_metric([status], queued[status])
            task_age = GaugeMetricFamily(
                "hana_task_outbox_oldest_pending_age_seconds",
                "Age of the oldest task waiting to be published (0: none; growing: no relay or no broker).",
            )
            task_age.add_metric([], queued["oldest_pending_seconds"])
            extra = [metric for path in settings.METRICS_EXTRA_COLLECTORS for metric in import_string(path)()]
        except DatabaseError:
            up.add_metric([], 0)
            yield up
        else:
            up.add_metric([], 1)
            yield up
            yield backlog
            yield age
            yield tasks
            yield task_age
            yield from extra
        beat = heartbeat.age_seconds()
        if beat is not None:
            gauge = GaugeMetricFamily(
                "hana_beat_heartbeat_age_seconds", "Seconds since beat's last heartbeat."
            )
            gauge.add_metric([], beat)
            yield gauge


class _Delegate:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


def scrape() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Delegate(REGISTRY))
    registry.register(DatabaseCollector())
    return generate_latest(registry)


# --- the endpoint ---------------------------------------------------------------------------------


def _bearer_ok(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), expected)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """/metrics for Prometheus: with `Authorization: Bearer <METRICS_TOKEN>`, or for a logged-in
    superuser (a look by hand). Anyone else gets 401 when a token is configured (a scraper with the
    wrong token should say so) and 404 when none is (the endpoint does not exist for the public)."""
    user = getattr(request, "user", None)
    if not (_bearer_ok(request) or (user is not None and user.is_active and user.is_superuser)):
        if settings.METRICS_TOKEN:
            response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        raise Http404
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
