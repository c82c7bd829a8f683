"""API rate limits: each limit governs its own callers, and counting costs one atomic increment.

DRF's UserRateThrottle counts an anonymous caller too (by address), so with both defaults in place an
anonymous client met the *user* limit as well as the anonymous one: raising API_THROTTLE_ANON above
API_THROTTLE_USER had no effect. Here the per-user limit counts logged-in users only; anonymous callers
are the anonymous throttle's, by the client address TRUSTED_PROXY_COUNT gives (REST_FRAMEWORK
NUM_PROXIES).

DRF's throttles keep a list of every request's time in the cache, read it, trim it and write it back:
each request pickles up to the whole rate's worth of timestamps, and two workers reading the same list
both write back their own, so concurrent requests go uncounted. Here each caller has one counter per
window of the rate's duration, raised with the cache's atomic INCR (Redis in production: every worker
and node counts together): constant cost whatever the rate, and no lost count. A fixed window lets a
caller spend up to twice the rate across a window's edge, which is what a limit against floods needs.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class WindowCounterThrottle(SimpleRateThrottle):
    """SimpleRateThrottle counted in fixed windows with one INCR. Subclasses give `scope` and
    `get_cache_key` as for DRF's. With the cache unreachable the request is allowed (portal.cache makes
    an outage a miss): a throttle must not turn a Redis outage into a refused API."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = f"{ident}:{window}"
        count = self._increment(key)
        return count is None or count <= self.num_requests

    def _increment(self, key: str) -> int | None:
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's first request (or the cache is unreachable)
            pass
        if self.cache.add(key, 1, self.duration + 1):
            return 1
        try:  # another worker started the window first
            return self.cache.incr(key)
        except ValueError:
            return None

    def wait(self) -> float:
        return max(self.window_ends - self.now, 0.0)


class AnonymousRateThrottle(WindowCounterThrottle, AnonRateThrottle):
    """The "anon" rate, per client address, for callers who are not logged in."""


class LoggedInUserRateThrottle(WindowCounterThrottle, UserRateThrottle):
    """The "user" rate, for authenticated users only (None: this throttle does not apply)."""

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
