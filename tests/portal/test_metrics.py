"""/metrics: protected; request counters by view name (not path), task counters, outbox and export gauges."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from portal.models import Notification
from portal.observability import celery_signals
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-scrape-token"


def samples(response) -> dict[tuple[str, frozenset], float]:
    text = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_without_the_token_it_is_401(client):
    assert client.get("/metrics").status_code == 401
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_with_no_token_configured_it_does_not_exist_for_the_public(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_superuser_may_look(client, settings):
    settings.METRICS_TOKEN = ""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/metrics").status_code == 200


def test_staff_who_are_not_superusers_may_not(client, caseworker_a):
    client.force_login(caseworker_a)

    assert client.get("/metrics").status_code == 401


def test_requests_are_counted_by_view_name_method_and_status_class(client):
    labels = frozenset({"view": "healthz", "method": "GET", "status": "2xx"}.items())
    before = REGISTRY.get_sample_value("hana_http_requests_total", dict(labels)) or 0

    client.get("/healthz")
    client.get("/healthz")
    client.get("/no-such-page-1/")
    client.get("/no-such-page-2/")

    values = samples(scrape(client))
    assert values[("hana_http_requests_total", labels)] == before + 2
    # Unknown paths share one label: a scanner cannot blow up the number of series.
    unresolved = {k for k in values if k[0] == "hana_http_requests_total" and ("view", "unresolved") in k[1]}
    assert unresolved
    assert not any("no-such-page" in str(key) for key in values)
    assert (
        "hana_http_request_duration_seconds_count",
        frozenset({"view": "healthz", "method": "GET"}.items()),
    ) in values


def test_task_outcomes_are_counted():
    def value(outcome):
        return (
            REGISTRY.get_sample_value(
                "hana_celery_tasks_total", {"task": "portal.heartbeat.beat", "outcome": outcome}
            )
            or 0
        )

    before = value("success"), value("failure"), value("retry")
    from portal import heartbeat

    heartbeat.beat.delay()  # eager: the task_success signal fires as in the worker
    celery_signals._failure(sender=heartbeat.beat)
    celery_signals._retry(sender=heartbeat.beat)

    assert (value("success"), value("failure"), value("retry")) == (
        before[0] + 1,
        before[1] + 1,
        before[2] + 1,
    )


def test_outbox_backlog_oldest_pending_and_exports_are_read_at_scrape_time(client, resident):
    def notify(status: str) -> Notification:
        return Notification.objects.create(
            user=resident,
            channel="email",
            template="t",
            event_key=f"k-{status}-{Notification.objects.count()}",
            status=status,
        )

    old = notify("pending")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=10))
    notify("pending")
    notify("sending")
    notify("failed")
    notify("sent")

    values = samples(scrape(client))

    assert values[("hana_outbox_notifications", frozenset({"status": "pending"}.items()))] == 2
    assert values[("hana_outbox_notifications", frozenset({"status": "sending"}.items()))] == 1
    assert values[("hana_outbox_notifications", frozenset({"status": "failed"}.items()))] == 1
    assert values[("hana_outbox_oldest_pending_age_seconds", frozenset())] >= 600
    assert values[("hana_exports", frozenset({"status": "queued"}.items()))] == 0
    assert values[("hana_metrics_database_up", frozenset())] == 1


def test_multiprocess_mode_sums_what_the_processes_wrote(client, monkeypatch, tmp_path):
    """Like two gunicorn workers: each process writes its counters to PROMETHEUS_MULTIPROC_DIR, and a
    scrape answered by any process adds them up."""
    script = (
        "import sys; from prometheus_client import Counter; "
        "Counter('hana_http_requests', 'x', ['view', 'method', 'status'])"
        ".labels(view='healthz', method='GET', status='2xx').inc(int(sys.argv[1]))"
    )
    for count in ("2", "3"):
        subprocess.run(  # noqa: S603 - a fixed command line of our own
            [sys.executable, "-c", script, count],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
            check=True,
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    values = samples(scrape(client))

    labels = frozenset({"view": "healthz", "method": "GET", "status": "2xx"}.items())
    assert values[("hana_http_requests_total", labels)] == 5
    assert values[("hana_outbox_notifications", frozenset({"status": "pending"}.items()))] == 0


def test_task_outbox_backlog_is_read_at_scrape_time(client, resident):
    from portal.models import QueuedTask

    waiting = QueuedTask.objects.create(name="programs.tasks.process_application", args=[1])
    QueuedTask.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=3))
    QueuedTask.objects.create(name="programs.tasks.process_application", args=[2], status="failed")
    QueuedTask.objects.create(name="programs.tasks.process_application", args=[3], status="dispatched")

    values = samples(scrape(client))

    assert values[("hana_task_outbox", frozenset({"status": "pending"}.items()))] == 1
    assert values[("hana_task_outbox", frozenset({"status": "failed"}.items()))] == 1
    assert values[("hana_task_outbox_oldest_pending_age_seconds", frozenset())] >= 180
