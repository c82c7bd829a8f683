"""/healthz: what the orchestrator probes. 200 when every configured dependency answers, else 503."""

from __future__ import annotations

import pytest

import portal.views

pytestmark = pytest.mark.django_db


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


def test_cache_failure_is_503(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def broken() -> None:
        raise RuntimeError("cache read-back failed")

    monkeypatch.setattr(portal.views, "_cache", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "fail"


def test_configured_broker_is_checked(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    calls = []
    monkeypatch.setattr(portal.views, "_broker", lambda: calls.append("broker"))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert calls == ["broker"]
    assert response.json()["checks"]["broker"]["status"] == "ok"


def test_unreachable_broker_is_503(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"

    def broken() -> None:
        raise ConnectionError("no route to host")

    monkeypatch.setattr(portal.views, "_broker", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"status": "fail", "error": "ConnectionError"}


def test_does_not_reveal_error_details(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def broken() -> None:
        raise RuntimeError("password=hunter2 host=db.internal")

    monkeypatch.setattr(portal.views, "_database", broken)

    response = client.get("/healthz")

    assert "hunter2" not in response.content.decode()
    assert "db.internal" not in response.content.decode()
