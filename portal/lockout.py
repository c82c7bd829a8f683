"""What django-axes counts a login failure against: the account, named as every login form names it.

Hana's login forms (the resident's and the admin's) post the email address as ``username``: Django's
AuthenticationForm names the field that way whatever USERNAME_FIELD is. axes looked for ``email``
(USERNAME_FIELD) and recorded every attempt without an account, so no account was ever locked.
"""

from __future__ import annotations

from django.http import HttpRequest


def login_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The email address tried, lower-cased as accounts are stored (households.forms.LoginForm does
    the same), so "Target@Example.kr" and "target@example.kr" are one account's failures."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if not value and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username") or data.get("email")
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
