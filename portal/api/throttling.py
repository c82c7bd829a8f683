"""API rate limits where each limit governs its own callers.

DRF's UserRateThrottle counts an anonymous caller too (by address), so with both defaults in place an
anonymous client met the *user* limit as well as the anonymous one: raising API_THROTTLE_ANON above
API_THROTTLE_USER had no effect. Here the per-user limit counts logged-in users only; anonymous callers
are the AnonRateThrottle's, by the client address TRUSTED_PROXY_COUNT gives (REST_FRAMEWORK NUM_PROXIES).
"""

from __future__ import annotations

from rest_framework.throttling import UserRateThrottle


class LoggedInUserRateThrottle(UserRateThrottle):
    """The "user" rate, for authenticated users only (None: this throttle does not apply)."""

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
