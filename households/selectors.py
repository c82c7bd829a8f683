"""Reads of a resident's household that more than one app needs."""

from __future__ import annotations

from .models import Household


def household_for(user) -> Household | None:
    if not user.is_authenticated:
        return None
    return (
        Household.objects.select_related("district__city", "neighbourhood")
        .filter(user=user, anonymized_at__isnull=True)
        .first()
    )
