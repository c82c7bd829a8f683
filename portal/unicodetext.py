"""Korean text is kept in one Unicode form, NFC, whichever way it was typed.

Some keyboards (macOS, some Android IMEs) send Hangul decomposed into jamo (NFD): "놀다가" arrives as
nine code points instead of three. It looks the same on screen but compares, sorts, searches and counts
differently, so a name typed on a Mac would never be found by a search typed on Windows. Two places
make every string NFC:

- `normalize_instance`, a pre_save receiver for every model, rewrites the text fields (and the strings
  inside JSON fields, where application answers live) before any row is written, whether the row came
  from a form, the API, the admin or a service;
- `NormalizeQueryMiddleware` rewrites the query string's keys and values, so every search (the
  catalogue, the admin's search box, the API's filters) compares composed text with composed text.

Bulk `update()`/`bulk_create()` bypass signals: the code that uses them writes values it composed itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict


def nfc(text: str) -> str:
    # is_normalized is a fast scan; most text is already composed and is returned as it is.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def nfc_deep(value: Any) -> Any:
    """A JSON value with every string (keys included) composed."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_deep(item) for item in value]
    if isinstance(value, dict):
        return {nfc_deep(key): nfc_deep(item) for key, item in value.items()}
    return value


@cache
def _text_fields(model: type[models.Model]) -> tuple[tuple[str, bool], ...]:
    """(attribute name, is JSON) of the model's concrete text and JSON fields."""
    fields = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            fields.append((field.attname, True))
        elif isinstance(field, models.CharField | models.TextField):
            fields.append((field.attname, False))
    return tuple(fields)


def normalize_instance(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    for attname, is_json in _text_fields(sender):
        value = instance.__dict__.get(attname)
        if is_json:
            if value is not None:
                instance.__dict__[attname] = nfc_deep(value)
        elif isinstance(value, str):
            instance.__dict__[attname] = nfc(value)


def _composed(query: QueryDict) -> QueryDict | None:
    """The query with every key and value composed, or None when it already is."""
    if all(unicodedata.is_normalized("NFC", key) for key in query) and all(
        unicodedata.is_normalized("NFC", value) for values in query.lists() for value in values[1]
    ):
        return None
    composed = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        composed.setlist(nfc(key), [nfc(value) for value in values])
    composed._mutable = False
    return composed


class NormalizeQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        composed = _composed(request.GET)
        if composed is not None:
            request.GET = composed
            request.META["QUERY_STRING"] = composed.urlencode()
        return self.get_response(request)
