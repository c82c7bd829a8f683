"""inquiries' answers to the events of the apps below it (connected in InquiriesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_data_requested, account_deleting

from .services import inquiries_data_for_export, inquiries_erase_for_deleted_account


@receiver(account_deleting, dispatch_uid="inquiries.erase_inquiries_of_deleted_account")
def erase_inquiries(sender: Any, *, user, household, request=None, **kwargs: Any) -> None:
    inquiries_erase_for_deleted_account(user=user, household=household, request=request)


@receiver(account_data_requested, dispatch_uid="inquiries.data_download")
def inquiries_in_data_download(sender: Any, *, user, **kwargs: Any) -> dict[str, Any]:
    return inquiries_data_for_export(user=user)
