"""Filter fields every app's filtersets share (django-filter), held to what the database can take."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import MaxValueValidator

# The largest id a BigAutoField (DEFAULT_AUTO_FIELD) holds; SQLite's and PostgreSQL's bigint alike.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number from 1 to MAX_ID. django-filter's NumberFilter reads a decimal up to
    1e50, and an id of 30 nines reached the database, which cannot hold it (a 500); it is now a 400 with
    the field named, like any other value that is not a number."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)

    def get_max_validator(self) -> MaxValueValidator:
        return MaxValueValidator(MAX_ID)
