"""Staff sessions end after inactivity: the activity clock kept in the session, and the keepalive.

StaffSessionTimeoutMiddleware (portal/middleware.py) reads and advances the clock on every staff
request; the admin's warning banner (static/admin_session.js) calls keepalive() when the staff member
chooses to stay logged in.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

SESSION_KEY = "hana_staff_last_activity"
# The clock is rewritten at most this often: a session write per request would be wasted work, and
# a minute is small against an idle limit of half an hour.
WRITE_EVERY_SECONDS = 60


def idle_seconds() -> int:
    return settings.STAFF_SESSION_IDLE_MINUTES * 60


def last_activity(request: HttpRequest) -> int | None:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, int) else None


def touch(request: HttpRequest, *, now: int | None = None) -> None:
    request.session[SESSION_KEY] = int(time.time()) if now is None else now


@never_cache
@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """The banner's "Stay logged in": restart the idle clock of a staff session (a CSRF-checked POST)."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return HttpResponseForbidden()
    touch(request)
    return HttpResponse(status=204)


def start_clock_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """user_logged_in receiver: the idle clock starts at login, so the first page after it (often a
    query-counted admin list) does not also have to write the session."""
    if request is not None and getattr(user, "is_staff", False) and hasattr(request, "session"):
        touch(request)
