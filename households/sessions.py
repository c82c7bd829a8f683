"""The resident's list of sessions (allauth.usersessions): recorded at every login, refreshed now and then.

allauth's own middleware (USERSESSIONS_TRACK_ACTIVITY) reads and writes the session's row on every
request an account makes: half a dozen queries on each page. Here a session's row is written when it
logs in (whichever form: the residents', the admin's) and then at most every SEEN_EVERY, which is as
precise as "last seen" needs to be; the time of the last write is kept in the session itself.
"""

from __future__ import annotations

import time

from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from portal.clientip import client_ip

SEEN_EVERY = 300  # seconds
SEEN_KEY = "hana_session_seen_at"


def record(request: HttpRequest, user) -> None:
    """Create or refresh the row of ``request``'s session (device, address, last seen)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SEEN_KEY] = int(time.time())
    if client_ip(request) is None:
        return  # not a browser's request (a test's force_login, a script): no device to show
    if not session.session_key:
        session.save()
    UserSession.objects.create_from_request(request, user=user, session=session)


@receiver(user_logged_in, dispatch_uid="households.sessions.on_login")
def _on_login(sender, request, user, **kwargs) -> None:
    if request is not None:
        record(request, user)


class SessionActivityMiddleware:
    """Refreshes the session's "last seen" at most every SEEN_EVERY seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        due = session is not None and int(time.time()) - session.get(SEEN_KEY, 0) >= SEEN_EVERY
        if due and user is not None and user.is_authenticated and session.session_key:
            record(request, user)
        return self.get_response(request)
