"""households' answers to its own events (connected in HouseholdsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from .outreach import outreach_export, outreach_forget
from .phone import phone_verifications_forget
from .signals import account_data_requested, account_deleting


@receiver(account_deleting, dispatch_uid="households.forget_phone_verifications")
def forget_phone_verifications(sender: Any, *, user, **kwargs: Any) -> None:
    phone_verifications_forget(user=user)


@receiver(account_deleting, dispatch_uid="households.forget_outreach_preference")
def forget_outreach_preference(sender: Any, *, user, **kwargs: Any) -> None:
    # The consent itself was withdrawn with the others by account_delete; the choices go.
    outreach_forget(user=user)


@receiver(account_data_requested, dispatch_uid="households.export_outreach_preference")
def export_outreach_preference(sender: Any, *, household, **kwargs: Any) -> dict[str, Any]:
    return {"outreach_preference": outreach_export(household)}
