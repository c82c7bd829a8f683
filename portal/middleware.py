"""Request-wide behaviour that Django's own middleware does not quite give us."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from . import staff_session

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class StaffSessionTimeoutMiddleware:
    """Log staff out after STAFF_SESSION_IDLE_MINUTES without a request (a PIPA safeguard).

    Residents are not affected. The time of the last request is kept in the session, rewritten at most
    once a minute so a busy caseworker does not cause a session write on every page. The admin pages
    carry the limit and the time left (see templates/admin/base_site.html) for the warning banner.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return self.get_response(request)
        limit = staff_session.idle_seconds()
        now = int(time.time())
        last = staff_session.last_activity(request)
        if last is not None and now - last > limit:
            logout(request)
            messages.warning(
                request,
                _(
                    "You were logged out because there was no activity for %(minutes)d minutes. "
                    "Log in again to continue."
                )
                % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES},
            )
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if last is None or now - last >= staff_session.WRITE_EVERY_SECONDS:
            staff_session.touch(request, now=now)
            last = now
        request.staff_session_idle_seconds = limit
        request.staff_session_remaining_seconds = max(limit - (now - last), 0)
        return self.get_response(request)
