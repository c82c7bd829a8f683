"""One error shape for the whole API.

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"birth_date": ["…"]}}}

Messages follow the request's language (Accept-Language or the language cookie): Korean by default.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import DomainError


def domain_error_response(error: DomainError) -> Response:
    """A service's refusal in the error format: its code, message, fields and any extra keys.

    The transaction is not rolled back: what the service recorded before refusing (a failed kiosk
    attempt, an audit event) stays, exactly as when a view returns the refusal itself.
    """
    body: dict[str, Any] = {"status": error.http_status, "code": error.code, "message": error.message}
    fields = error.by_field()
    if fields:
        body["fields"] = fields
    body.update(error.extra())
    return Response({"error": body}, status=error.http_status, headers=error.headers())


def error_body(status_code: int, code: str, message: str) -> dict[str, Any]:
    """The documented shape, for answers written outside DRF (portal.views' error handlers)."""
    return {"error": {"status": status_code, "code": code, "message": message}}


def too_large_message() -> str:
    return _("The request is too large. Send less data or smaller files.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every app's refusal (a DomainError subclass: households, programs, safety, spaces, lockers…) and
    every DRF exception, in the one shape. No view catches a refusal to answer it itself."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, RequestDataTooBig):  # DATA_UPLOAD_MAX_MEMORY_SIZE, read while parsing
        return Response(error_body(413, "too_large", too_large_message()), status=413)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django log it and answer 500
    detail = response.data
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message = _("Some of the values you sent are not valid. Check the fields listed.")
        if isinstance(detail, dict):
            fields = {name: _flatten(errors) for name, errors in detail.items()}
            non_field = fields.pop("non_field_errors", None)
            if non_field:
                message = " ".join(non_field)
        elif isinstance(detail, list):
            message = " ".join(_flatten(detail))
    elif isinstance(exc, Http404):
        code = "not_found"  # DRF turns Django's Http404 into NotFound only in its own copy
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        code = "permission_denied"
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else "error"
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
    body = {"error": {"status": response.status_code, "code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response.data = body
    return response


def _flatten(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [f"{key}: {msg}" for key, value in errors.items() for msg in _flatten(value)]
    if isinstance(errors, list):
        return [msg for item in errors for msg in _flatten(item)]
    return [str(errors)]


def bad_request(message: str) -> Response:
    return Response(
        {"error": {"status": 400, "code": "invalid", "message": message}}, status=status.HTTP_400_BAD_REQUEST
    )


# --- the same format described for the OpenAPI schema ----------------------------------------------


class ApiErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="Stable, for programs: e.g. duplicate, invalid_transition.")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Problems by field, e.g. {"answers.q12": ["Enter a number."]}.',
    )


class ApiErrorSerializer(serializers.Serializer):
    error = ApiErrorDetailSerializer()


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ApiErrorSerializer, description=description)
