"""Which rows a staff member may see, decided in one place.

Every district-scoped model's queryset has ``visible_to(user)``: a city admin sees everything, district
staff their own district only, anyone else nothing. Admin ``get_queryset``, search, autocomplete, the API
and exports all call it, so an outsider gets a 404, never someone else's row. A model whose district is
reached through a relation names the path in ``district_scope`` (e.g. ``"room__space__district"``); the
District model itself says ``""`` (the row is the district), which gives the districts a user may choose.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def staff_district_id(user: Any) -> int | None:
    """The district a staff member works for; None for residents, anonymous users and unassigned staff."""
    return user.district_id if user.is_authenticated and user.is_staff else None


def sees_all(user: Any) -> bool:
    return bool(user.is_authenticated and user.sees_all_districts)


def scope_to_district(queryset: models.QuerySet, user: Any, path: str = "district") -> models.QuerySet:
    """`queryset` narrowed to the rows whose district (at `path`; "" for districts) is the user's."""
    if sees_all(user):
        return queryset
    district = staff_district_id(user)
    return queryset.filter(**{f"{path}_id" if path else "pk": district}) if district else queryset.none()


class ScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to a district."""

    def visible_to(self, user: Any) -> models.QuerySet:
        return scope_to_district(self, user, getattr(self.model, "district_scope", "district"))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
