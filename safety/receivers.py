"""safety's answers to the events of the apps below it (connected in SafetyConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from households.signals import account_deleting

from .services.accounts import kit_requests_release_for_deleted_account


@receiver(account_deleting, dispatch_uid="safety.cancel_kit_requests_of_deleted_account")
def cancel_kit_requests(sender: Any, *, user, household, request=None, **kwargs: Any) -> None:
    kit_requests_release_for_deleted_account(user=user, household=household, request=request)
