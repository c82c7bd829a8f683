"""spaces' answers to the events of the apps below it (connected in SpacesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_data_requested, account_deleting

from . import services


@receiver(account_deleting, dispatch_uid="spaces.release_bookings_of_deleted_account")
def release_bookings(sender: Any, *, user, household, now, request=None, **kwargs: Any) -> None:
    services.bookings_release_for_deleted_account(user=user, household=household, now=now, request=request)


@receiver(account_data_requested, dispatch_uid="spaces.bookings_in_data_download")
def bookings_in_data_download(sender: Any, *, household, **kwargs: Any) -> dict[str, Any]:
    return services.bookings_for_data_export(household=household)
