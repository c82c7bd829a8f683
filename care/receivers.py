"""care's answers to the events of the apps below it (connected in CareConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_data_requested, account_deleting

from .services.accounts import care_data_for_export, care_forget_deleted_account


@receiver(account_deleting, dispatch_uid="care.forget_deleted_account")
def forget_deleted_account(sender: Any, *, user, household, request=None, **kwargs: Any) -> None:
    care_forget_deleted_account(user=user, household=household, request=request)


@receiver(account_data_requested, dispatch_uid="care.data_download")
def care_in_data_download(sender: Any, *, household, **kwargs: Any) -> dict[str, Any]:
    return care_data_for_export(household=household)
