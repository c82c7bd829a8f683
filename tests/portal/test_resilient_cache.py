"""portal.cache: with Redis unreachable the cache answers as if empty, and the site keeps serving."""

from __future__ import annotations

import os
import socket

import pytest
from django.test import override_settings

import portal.cache
from portal.cache import ResilientRedisCache


def closed_port() -> int:
    """A local port nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_redis() -> ResilientRedisCache:
    return ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )


def test_every_operation_answers_as_an_empty_cache(dead_redis):
    assert dead_redis.get("k") is None
    assert dead_redis.get("k", "fallback") == "fallback"
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.has_key("k") is False
    assert dead_redis.set("k", 1) is None
    assert dead_redis.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
    assert dead_redis.add("k", 1) is False
    assert dead_redis.touch("k") is False
    assert dead_redis.delete("k") is False
    assert dead_redis.delete_many(["a"]) is None
    assert dead_redis.clear() is False
    assert dead_redis.get_or_set("k", lambda: "computed") == "computed"
    with pytest.raises(ValueError):  # "missing key": callers start their count again
        dead_redis.incr("k")
    with pytest.raises(ValueError):
        dead_redis.decr("k")


def test_an_outage_is_logged_once_per_interval_not_per_call(dead_redis, caplog, monkeypatch):
    monkeypatch.setattr(portal.cache, "_last_warning", 0.0)
    monkeypatch.setattr(portal.cache.time, "monotonic", lambda: 1000.0)
    for _ in range(20):
        dead_redis.get("k")
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1
    assert "cache unreachable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_the_api_answers_with_its_cache_down(client, settings):
    settings.CELERY_BROKER_URL = ""  # only the cache is down here
    # DRF's throttles read and write the cache on every API request: they let the request through.
    dead = {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": dead}):  # Django's test signal rebuilds `caches` from it
        response = client.get("/api/v1/programs/")
        health = client.get("/healthz")
    assert response.status_code == 200
    assert health.status_code == 200
    assert health.json()["degraded"] == ["cache"]


@pytest.mark.redis
def test_a_reachable_redis_is_an_ordinary_cache():
    cache = ResilientRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "resilient-test"})
    cache.set("k", 41)
    assert cache.incr("k") == 42
    assert cache.get("k") == 42
    cache.delete("k")
    assert cache.get("k") is None
