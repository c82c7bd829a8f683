"""community's answers to the events of the apps below it (connected in CommunityConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_deleting

from .services.accounts import community_forget_account


@receiver(account_deleting, dispatch_uid="community.forget_deleted_account")
def forget_account(sender: Any, *, user, household=None, request=None, **kwargs: Any) -> None:
    community_forget_account(user=user, request=request)
