"""The production cache: Django's Redis cache, but an unreachable Redis is a slower site, not a broken one.

Django's RedisCache raises when Redis is down, and every request that touches the cache (API throttles,
the catalogue's cached tables, the dashboard) would answer 500. In production the cache and the broker
often share one Redis, so a broker outage would become a site outage. Here a connection error reads as a
miss, and a write as not stored: pages are computed afresh and throttles let requests through
(fail-open; login lockouts are kept in the database and still hold). /healthz reports the cache as
degraded meanwhile. `incr`/`decr` raise ValueError, the "key missing" answer every caller already
handles by starting the count again.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_SECONDS = 30.0  # one warning per process per half-minute of outage, not one per call
_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning(
            "cache unreachable (%s: %s: %s); serving without it", operation, type(exc).__name__, exc
        )


def _tolerant(fallback):
    """Wrap a cache method: on an unreachable Redis, log (rate-limited) and answer `fallback(*args)`."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                _warn(method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _missing(*args, **kwargs):
    raise ValueError("cache unreachable: treated as a missing key")


class _ClientReusingRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis client object for every cache operation (over the same
    connection pool); constructing it cost about as much as the round trip's own Python work, twice
    per API request (the throttle's get and set). One client per pool does the same: a redis.Redis
    client is safe to share between threads, it takes a connection from the pool for each command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:  # as RedisCacheClient._get_connection_pool, for this index
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientReusingRedisCacheClient

    get = _tolerant(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _tolerant(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _tolerant(lambda *a, **k: False)(RedisCache.has_key)
    set = _tolerant(lambda *a, **k: None)(RedisCache.set)
    set_many = _tolerant(lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _tolerant(lambda *a, **k: False)(RedisCache.add)
    touch = _tolerant(lambda *a, **k: False)(RedisCache.touch)
    delete = _tolerant(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _tolerant(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _tolerant(lambda *a, **k: False)(RedisCache.clear)
    incr = _tolerant(_missing)(RedisCache.incr)
    decr = _tolerant(_missing)(RedisCache.decr)
