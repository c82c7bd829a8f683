"""/healthz: what the orchestrator probes. 503 when the node cannot serve (database, cache); 200 with
status "degraded" and the names of what is failing when only background work or files are affected
(broker, beat heartbeat, storage); 200 "ok" when everything configured answers."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

import portal.views
from portal import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_probes():
    """Each test sees its own probes' results, not a remembered one of the test before."""
    portal.views._memo.clear()
    yield
    portal.views._memo.clear()


def test_healthy_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "not_configured"


def test_is_never_cached(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_database_failure_is_503(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def broken() -> None:
        raise RuntimeError("connection refused")

    monkeypatch.setattr(portal.views, "_database", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "RuntimeError"}
    assert body["checks"]["cache"]["status"] == "ok"


def test_cache_failure_is_degraded_not_503(client, settings, monkeypatch):
    # The site serves without its cache (portal.cache): restarting web nodes would not bring Redis back.
    settings.CELERY_BROKER_URL = ""

    def broken() -> None:
        raise RuntimeError("cache read-back failed")

    monkeypatch.setattr(portal.views, "_cache", broken)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["degraded"] == ["cache"]
    assert response.json()["checks"]["cache"]["status"] == "fail"


def test_configured_broker_is_checked(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    calls = []
    monkeypatch.setattr(portal.views, "_broker", lambda: calls.append("broker"))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert calls == ["broker"]
    assert response.json()["checks"]["broker"]["status"] == "ok"


def test_unreachable_broker_is_degraded_not_503(client, settings, monkeypatch):
    # Restarting web nodes does not mend a broker, and saved work waits in the outbox meanwhile.
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    cache.set(heartbeat.CACHE_KEY, time.time(), 60)

    def broken() -> None:
        raise ConnectionError("no route to host")

    monkeypatch.setattr(portal.views, "_broker", broken)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["degraded"] == ["broker"]
    assert body["checks"]["broker"] == {"status": "fail", "error": "ConnectionError"}


def test_everything_answering_is_ok_with_beat_and_storage(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    monkeypatch.setattr(portal.views, "_broker", lambda: None)
    cache.set(heartbeat.CACHE_KEY, time.time() - 30, 60)

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert "degraded" not in body
    assert body["checks"]["beat"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"


def test_beat_is_not_configured_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = ""

    body = client.get("/healthz").json()

    assert body["checks"]["beat"]["status"] == "not_configured"
    assert body["status"] == "ok"


@pytest.mark.parametrize(
    ("last_beat", "detail"),
    [(None, "no heartbeat from beat seen yet"), (-heartbeat.STALE_AFTER_SECONDS - 60, "last heartbeat")],
)
def test_an_old_or_missing_heartbeat_is_stale_and_degraded(client, settings, monkeypatch, last_beat, detail):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    monkeypatch.setattr(portal.views, "_broker", lambda: None)
    if last_beat is not None:
        cache.set(heartbeat.CACHE_KEY, time.time() + last_beat, 600)

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["degraded"] == ["beat"]
    assert body["checks"]["beat"]["status"] == "stale"
    assert detail in body["checks"]["beat"]["detail"]


def test_the_heartbeat_task_makes_beat_fresh(client, settings, monkeypatch):
    # Queued before the broker setting is pointed elsewhere: Celery would keep that URL for later tests.
    heartbeat.beat.delay()  # eager in tests: what the worker does every minute
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    monkeypatch.setattr(portal.views, "_broker", lambda: None)

    assert client.get("/healthz").json()["checks"]["beat"]["status"] == "ok"
    assert settings.CELERY_BEAT_SCHEDULE["heartbeat"]["task"] == heartbeat.beat.name


def test_storage_failure_is_degraded(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def broken() -> None:
        raise OSError("bucket gone")

    monkeypatch.setattr(portal.views, "_storage", broken)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["storage"] == {"status": "fail", "error": "OSError"}


def test_storage_probe_goes_through_the_default_storage_and_leaves_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    from django.core.files.storage import default_storage

    portal.views._storage()

    assert not list(tmp_path.rglob("probe-*"))
    assert default_storage.exists("healthz") is False or not default_storage.listdir("healthz")[1]


def test_does_not_reveal_error_details(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def broken() -> None:
        raise RuntimeError("password=hunter2 host=db.internal")

    monkeypatch.setattr(portal.views, "_database", broken)

    response = client.get("/healthz")

    assert "hunter2" not in response.content.decode()
    assert "db.internal" not in response.content.decode()


def test_storage_and_broker_probes_are_remembered_briefly(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    calls = {"storage": 0, "broker": 0}

    def counting(name):
        def probe() -> None:
            calls[name] += 1

        return probe

    monkeypatch.setattr(portal.views, "_storage", counting("storage"))
    monkeypatch.setattr(portal.views, "_broker", counting("broker"))

    for _ in range(5):
        assert client.get("/healthz").json()["checks"]["storage"]["status"] == "ok"
    assert calls == {"storage": 1, "broker": 1}  # five probes of /healthz: one file written, one connection

    monkeypatch.setattr(portal.views, "PROBE_MEMO_SECONDS", 0.0)
    client.get("/healthz")
    assert calls == {"storage": 2, "broker": 2}


def test_cache_probe_and_heartbeat_are_remembered_a_moment_the_database_is_not(
    client, settings, monkeypatch, django_assert_num_queries
):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    monkeypatch.setattr(portal.views, "_broker", lambda: None)
    calls = {"cache": 0, "beat": 0}

    def cache_probe() -> None:
        calls["cache"] += 1

    def last_beat() -> float:
        calls["beat"] += 1
        return time.time() - 30

    monkeypatch.setattr(portal.views, "_cache", cache_probe)
    monkeypatch.setattr(heartbeat, "last_beat", last_beat)

    for _ in range(3):
        with django_assert_num_queries(1):  # SELECT 1, every time
            body = client.get("/healthz").json()
        assert body["checks"]["beat"] == {"status": "ok", "age_seconds": 30}
    assert calls == {"cache": 1, "beat": 1}

    monkeypatch.setattr(portal.views, "CACHE_MEMO_SECONDS", 0.0)
    client.get("/healthz")
    assert calls == {"cache": 2, "beat": 2}
