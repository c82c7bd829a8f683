"""lockers' answers to the events of the apps below it (connected in LockersConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_deleting, phone_verified

from .services.accounts import lockers_release_for_deleted_account
from .services.reissue import delivery_codes_for_verified_phone


@receiver(account_deleting, dispatch_uid="lockers.flag_parcels_of_deleted_account")
def flag_parcels(sender: Any, *, user, now, request=None, **kwargs: Any) -> None:
    lockers_release_for_deleted_account(user=user, now=now, request=request)


@receiver(phone_verified, dispatch_uid="lockers.codes_for_verified_phone")
def send_waiting_codes(sender: Any, *, user, request=None, **kwargs: Any) -> None:
    delivery_codes_for_verified_phone(user=user, request=request)
