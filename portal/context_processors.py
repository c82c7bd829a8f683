"""Template context shared by every page."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from .models import Notification


def unread_count(request: HttpRequest) -> dict:
    """`unread_count`: the user's unread in-app messages, for the "Notifications (n)" menu link.

    Lazy: the COUNT runs once, and only on pages that show it (the admin's pages do not), and never
    for anonymous visitors.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return Notification.objects.filter(
            user_id=user.pk, channel=Notification.Channel.IN_APP, read_at__isnull=True
        ).count()

    return {"unread_count": count}
