"""Reads of the spaces app that are more than a `get`.

A booking series may name a program, but programs sits above spaces: its model is reached through the
series' relation, never imported.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from portal.scoping import scope_to_district

from .models import BookingSeries


def series_program_model() -> type[Model]:
    """The model a series links to (programs.Program)."""
    return BookingSeries._meta.get_field("program").related_model


def programs_visible_to(user: Any) -> QuerySet:
    """The programs a staff member sees, by the programs app's own rule (its queryset's `visible_to`: a
    district's programs and its city's city-wide ones)."""
    return series_program_model().objects.visible_to(user)


def programs_editable_by(user: Any) -> QuerySet:
    """The programs whose sessions a staff member may add: their own district's (a city admin: any), never
    a city-wide one, whose sessions the city plans."""
    return scope_to_district(series_program_model().objects.all(), user)
