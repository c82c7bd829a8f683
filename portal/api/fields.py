"""Serializer fields every app's API shares."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.i18n import localized


@extend_schema_field(OpenApiTypes.STR)
class LocalizedField(serializers.Field):
    """A bilingual text: the English column for English requests when filled in, else the Korean one."""

    def __init__(self, name: str, **kwargs):
        self.column = name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj) -> str:
        return localized(obj, self.column)
