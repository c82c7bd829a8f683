"""The OpenAPI schema (/api/schema/) says what the API really answers: checked by schemathesis in the
test suite (tests/portal/test_api_fuzz.py).

drf-spectacular describes what a view declares. What every view shares — DRF's parsing, content
negotiation, authentication, permissions, throttles, pagination, Django's body-size limit, the shared
page cache's conditional GET — it does not know about, so each view would have to repeat it. Here it is
written once, from what the view is made of, and so covers every API view, present and future:

- each error status an operation can answer is documented, in the one error shape (portal.api.errors);
  a view's own description of a status (its codes, say) is kept, only missing ones are added;
- a path id matched by digits only (``lookup_value_regex = r"\\d+"``) is an integer, not a string;
- a list or detail answered from the shared page cache documents its 304;
- a time of day is not ``format: time``, which is RFC 3339's full-time with a UTC offset
  ("10:00:00+09:00"): the API writes local (Seoul) times without one, as "10:00" where the field's
  format says so (``TimeField(format="%H:%M")``), else "10:00:00"; the schema gives the pattern of
  what is written, and reads either.

The hooks are AutoSchema's own methods (drf-spectacular is pinned); tests/portal/test_api_schema_truth.py
says what they must produce, so an upgrade that changes them fails there first.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.settings import api_settings

from portal.api.caching import SharedCacheMixin
from portal.api.errors import ApiErrorSerializer

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Read-only access for anyone: a GET under these is never refused for who the caller is.
_OPEN_FOR_READING = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)
# The patterns that mean "a whole number" in a route (DRF's lookup_value_regex, a path's regex).
_DIGITS = ("^\\d+$", "^[0-9]+$")
_HOUR_MINUTE = "([01]\\d|2[0-3]):[0-5]\\d"
TIME_WRITTEN = {
    "%H:%M": {"pattern": f"^{_HOUR_MINUTE}$", "example": "10:00"},
    "iso-8601": {"pattern": f"^{_HOUR_MINUTE}:[0-5]\\d(\\.\\d+)?$", "example": "10:00:00"},
}
TIME_READ = {"pattern": f"^{_HOUR_MINUTE}(:[0-5]\\d)?$", "example": "10:00"}

ERROR_DESCRIPTIONS = {
    400: "Invalid input (the fields concerned are listed), or a refusal by a rule (its code says which).",
    401: "Not authenticated: no, or an unrecognised, credential (see WWW-Authenticate).",
    403: "Not allowed: not logged in, not permitted, or the CSRF check failed.",
    404: "Not found, or not one you may see (another district's or resident's), or an invalid page.",
    406: "None of the media types in Accept can be answered.",
    409: "Refused by the record's state (e.g. invalid_transition) or taken meanwhile.",
    413: "The request is too large.",
    415: "The request body's media type is not one this operation reads.",
    429: "Too many requests: try again after Retry-After seconds.",
}


class HanaAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, completed with what every API view shares (see the module)."""

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "string" and schema.get("pattern") in _DIGITS:
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            written = getattr(field, "format", api_settings.TIME_FORMAT)
            pattern = TIME_WRITTEN.get(written, {}) if direction == "response" else TIME_READ
            schema = {key: value for key, value in schema.items() if key != "format"} | pattern
        return schema

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if self._conditional_get():
            responses.setdefault(
                "304", {"description": "Not modified since If-Modified-Since / If-None-Match."}
            )
        for status in self.possible_errors():
            if str(status) not in responses:
                responses[str(status)] = self._error_response(status, direction)
        for status, response in responses.items():
            if status.startswith("4") and not response.get("content"):
                # Described by the view without a body: it has one, in the error shape.
                response["content"] = self._error_response(int(status), direction)["content"]
        return dict(sorted(responses.items()))

    def _error_response(self, status: int, direction: str) -> dict[str, Any]:
        response = self._get_response_for_code(
            ApiErrorSerializer, str(status), ["application/json"], direction
        )
        response["description"] = ERROR_DESCRIPTIONS.get(status, "")
        return response

    # --- which errors an operation can answer, from what its view is made of -----------------------

    def possible_errors(self) -> set[int]:
        view = self.view
        errors = {406}  # content negotiation runs on every DRF view
        has_body = self.method in UNSAFE_METHODS
        if has_body:
            errors |= {400, 413, 415}
        if self._query_parameters():
            errors.add(400)  # a filter or page size that does not read
        challenged = [self._answers_401(cls) for cls in view.authentication_classes]
        if any(challenged):
            errors.add(401)
        if not (challenged and all(challenged)) and self._may_refuse(view, has_body):
            errors.add(403)  # with only challenging authenticators, DRF answers every refusal 401
        if self._has_path_parameters() or self._is_paginated():
            errors.add(404)  # an unknown or unreachable id; a page past the end
        if has_body and self._has_path_parameters():
            errors.add(409)  # a state move on one record: the workflow's invalid_transition
        if getattr(view, "throttle_classes", ()):
            errors.add(429)
        return errors

    def _query_parameters(self) -> bool:
        return bool(self._get_filter_parameters() or self._get_pagination_parameters())

    def _has_path_parameters(self) -> bool:
        return bool(self.path_regex and "(?P<" in self.path_regex)

    def _is_paginated(self) -> bool:
        return self._is_list_view() and self._get_paginator() is not None

    def _conditional_get(self) -> bool:
        return (
            isinstance(self.view, SharedCacheMixin)
            and self.method == "GET"
            and getattr(self.view, "action", None) in ("list", "retrieve")
        )

    @staticmethod
    def _answers_401(authentication_class: type[BaseAuthentication]) -> bool:
        """DRF answers 401 only when an authenticator names a WWW-Authenticate challenge (a device
        token); the session's has none, so its refusals are 403."""
        return authentication_class.authenticate_header is not BaseAuthentication.authenticate_header

    @staticmethod
    def _may_refuse(view, has_body: bool) -> bool:
        if has_body:
            return True  # the session's CSRF check, whatever the permissions
        return not all(isinstance(permission, _OPEN_FOR_READING) for permission in view.get_permissions())
