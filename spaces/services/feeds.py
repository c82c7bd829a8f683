"""A resident's private calendar feed address: made, revoked, and looked up by its token."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from portal.audit import audit_log
from portal.models import User

from ..models import CalendarFeed


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, user: User) -> str:
    """A new private feed address for the user; any earlier one stops working. Returns the token (shown
    once: only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=_token_hash(token))
        audit_log(actor=user, action="calendar_feed.created", subject_user_id=user.pk)
    return token


def calendar_feed_revoke(*, user: User) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit_log(actor=user, action="calendar_feed.revoked", subject_user_id=user.pk)
    return bool(deleted)


def calendar_feed_user(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
