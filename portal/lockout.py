"""What django-axes counts a login failure against: the account, named as every login form names it.

Hana's login forms post the email address as ``login`` (the residents', allauth's) or ``username``
(the admin's: Django's AuthenticationForm names the field that way whatever USERNAME_FIELD is); allauth
authenticates with ``email=``. axes looked for ``email``
(USERNAME_FIELD) and recorded every attempt without an account, so no account was ever locked.
"""

from __future__ import annotations

from django.http import HttpRequest


def login_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The email address tried, lower-cased as accounts are stored (allauth and the user manager do
    the same), so "Target@Example.kr" and "target@example.kr" are one account's failures."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if not value and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("login") or data.get("username") or data.get("email")
    if not isinstance(value, str):
        return None
    return value.strip().lower() or None


def forget_login_records(username: str) -> int:
    """Erase django-axes' records of an address (failed attempts, the access and failure logs): they
    keep the email typed at login, and an erased account's address must not outlive it (PIPA art. 21).
    Returns how many rows went."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    username = username.strip().lower()
    removed = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        removed += model.objects.filter(username__iexact=username).delete()[0]
    return removed
