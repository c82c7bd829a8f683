"""community's answers to the events of the apps below it (connected in CommunityConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_data_requested, account_deleting

from .services.accounts import community_data_for_export, community_forget_account


@receiver(account_deleting, dispatch_uid="community.forget_deleted_account")
def forget_account(sender: Any, *, user, household=None, request=None, **kwargs: Any) -> None:
    community_forget_account(user=user, request=request)


@receiver(account_data_requested, dispatch_uid="community.data_download")
def community_in_data_download(sender: Any, *, user, **kwargs: Any) -> dict[str, Any]:
    return community_data_for_export(user=user)
