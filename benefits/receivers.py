"""benefits' answers to the events of the apps below it (connected in BenefitsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_data_requested, account_deleting

from .services.accounts import benefits_data_for_export, benefits_erase_for_deleted_account


@receiver(account_deleting, dispatch_uid="benefits.erase_for_deleted_account")
def erase_for_deleted_account(sender: Any, *, user, household, request=None, **kwargs: Any) -> None:
    benefits_erase_for_deleted_account(user=user, household=household, request=request)


@receiver(account_data_requested, dispatch_uid="benefits.data_download")
def benefits_in_data_download(sender: Any, *, household, **kwargs: Any) -> dict[str, Any]:
    return benefits_data_for_export(household=household)
