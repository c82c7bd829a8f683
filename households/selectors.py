"""Reads of a resident's household that more than one app needs."""

from __future__ import annotations

from datetime import datetime

from .models import Household


def _live_households(user):
    """The user's household, unless the account was erased (anonymized)."""
    return Household.objects.filter(user=user, anonymized_at__isnull=True)


def household_for(user) -> Household | None:
    if not user.is_authenticated:
        return None
    return _live_households(user).select_related("district__city", "neighbourhood").first()


def household_stamp(user) -> tuple[int, datetime] | None:
    """The user's household id and profile stamp (updated_at) without loading the household: enough to
    key what is judged on the profile (programs.selectors.household_verdicts)."""
    if not user.is_authenticated:
        return None
    return _live_households(user).values_list("pk", "updated_at").first()
