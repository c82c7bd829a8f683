"""households' answers to its own events (connected in HouseholdsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from .phone import phone_verifications_forget
from .signals import account_deleting


@receiver(account_deleting, dispatch_uid="households.forget_phone_verifications")
def forget_phone_verifications(sender: Any, *, user, **kwargs: Any) -> None:
    phone_verifications_forget(user=user)
