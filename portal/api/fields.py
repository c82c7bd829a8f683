"""Serializer fields every app's API shares."""

from __future__ import annotations

import contextlib
from datetime import datetime

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.i18n import localized
from portal.timeutils import is_supported, unsupported_date_message


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


# --- dates and times read from clients: held to the supported range (portal.timeutils) ------------------


class SupportedDateField(serializers.DateField):
    """``serializers.DateField`` refusing days outside the portal's supported range (400, the field named)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        _check_range(day)
        return day


class SupportedDateTimeField(serializers.DateTimeField):
    """``serializers.DateTimeField`` refusing instants whose day, as written, is outside the supported
    range. DRF makes a naive input aware (and converts an aware one) inside its own parsing, where
    0001-01-01T00:00:00 overflows: the range is checked on the parsed value first."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                _check_range(parse_datetime(value.strip()))
        elif isinstance(value, datetime):
            _check_range(value)
        return super().to_internal_value(value)


def _check_range(value) -> None:
    if value is not None and not is_supported(value):
        raise serializers.ValidationError(unsupported_date_message(), code="date_out_of_range")
