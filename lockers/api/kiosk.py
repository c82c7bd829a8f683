"""The kiosk over the API: it authenticates with its device token (``Authorization: Device <token>``:
no session, so no CSRF) and opens a compartment for the right pickup code.

A refusal is a LockerError, answered by portal.api.errors in the house error format with the service's
code: 401 invalid_device (with WWW-Authenticate: Device), 423 compartment_locked, 429 too_many_attempts,
404 unknown_compartment / no_parcel, 400 wrong_code / expired / invalid (bad input). No input, however
malformed, answers 500. A wrong code's attempt is committed before the refusal and stays recorded.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.errors import error_response
from portal.api.throttling import WindowCounterThrottle
from portal.clientip import client_ip

from ..models import LockerDevice
from ..services import device_for_token, pickup_by_code


class BadTokenLimit:
    """Bad device tokens per client address: KIOSK_BAD_TOKEN_LIMIT in a KIOSK_BAD_TOKEN_WINDOW_MINUTES
    window, then 429 until the window ends, whatever token is sent.

    A fixed window counted with cache.add + cache.incr, which are atomic in Redis: every gunicorn worker
    and web node share one count (a read-modify-write list, as DRF's throttles keep, can lose
    increments under a burst, which is exactly when it matters). At a window's edge an address may get
    up to twice the limit; at 10 per 15 minutes that is still far too slow to guess a token.
    """

    prefix = "kiosk-bad-token"

    def __init__(self, request: Request) -> None:
        self.window = settings.KIOSK_BAD_TOKEN_WINDOW_MINUTES * 60
        self.limit = settings.KIOSK_BAD_TOKEN_LIMIT
        now = time.time()
        start = int(now // self.window) * self.window
        self.retry_after = max(int(start + self.window - now), 1)
        self.key = f"{self.prefix}:{client_ip(request) or 'unknown'}:{start}"

    def exceeded(self) -> bool:
        return (cache.get(self.key) or 0) >= self.limit

    def record_failure(self) -> None:
        if not cache.add(self.key, 1, timeout=self.window + 60):
            try:
                cache.incr(self.key)
            except ValueError:  # expired between add and incr: this failure starts the count again
                cache.add(self.key, 1, timeout=self.window + 60)

    def refuse(self) -> exceptions.Throttled:
        minutes = -(-self.retry_after // 60)
        return exceptions.Throttled(
            wait=self.retry_after,
            detail=_(
                "Too many attempts with an unrecognised kiosk. Try again in %(minutes)d minutes "
                "or ask the district office."
            )
            % {"minutes": minutes},
            code="too_many_attempts",
        )


class DeviceAuthentication(BaseAuthentication):
    """``Authorization: Device <token>``: the kiosk's device, found by the SHA-256 of its token.

    request.user is anonymous and request.auth the LockerDevice. Anything else (no header, another
    scheme, an unknown or disabled device) is refused with 401 invalid_device, and counted against the
    client address (BadTokenLimit): past the limit the address gets 429, even with a valid token, so the
    answer never tells a guesser that a token was right.
    """

    keyword = "device"

    def authenticate(self, request: Request):
        limit = BadTokenLimit(request)
        if limit.exceeded():
            raise limit.refuse()
        parts = get_authorization_header(request).split()
        device = None
        if len(parts) == 2 and parts[0].lower() == self.keyword.encode():
            try:
                device = device_for_token(parts[1].decode("ascii"))
            except UnicodeDecodeError:
                device = None
        if device is None:
            limit.record_failure()
            raise exceptions.AuthenticationFailed(
                _("This kiosk is not recognised. Ask the district office."), code="invalid_device"
            )
        return AnonymousUser(), device

    def authenticate_header(self, request: Request) -> str:
        return "Device"  # so that a refusal is a 401, not a 403


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "lockers.api.kiosk.DeviceAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'The kiosk\'s token, as "Device <token>". Shown once when the device is created.',
        }


class HasDevice(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return isinstance(request.auth, LockerDevice)


class DeviceRateThrottle(WindowCounterThrottle):
    """Requests per kiosk device, whatever the code entered (the wrong-code limits are the service's)."""

    scope = "kiosk"  # rate from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["kiosk"] (API_THROTTLE_KIOSK)

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, LockerDevice):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PickupSerializer(serializers.Serializer):
    compartment = serializers.CharField(max_length=10, help_text="The label on the door, e.g. A-01.")
    code = serializers.CharField(
        max_length=6, min_length=6, help_text="The 6-digit code from the text message."
    )

    def validate_code(self, value: str) -> str:
        if not (value.isascii() and value.isdigit()):
            raise serializers.ValidationError(_("Enter the 6 digits of the code."))
        return value


class PickupResultSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The delivery's reference, e.g. PL-2026-000123.")
    compartment = serializers.CharField()
    fee_due = serializers.IntegerField(help_text="In won: 0 within the free period.")
    message = serializers.CharField(help_text="What the kiosk shows, in the request's language.")


class KioskPickupView(APIView):
    authentication_classes = [DeviceAuthentication]
    permission_classes = [HasDevice]
    throttle_classes = [DeviceRateThrottle]

    def throttled(self, request: Request, wait: float | None) -> None:
        raise exceptions.Throttled(
            wait=wait,
            detail=_("Too many requests from this kiosk. Try again shortly."),
            code="too_many_attempts",
        )

    @extend_schema(
        summary="Kiosk: open a compartment with its pickup code",
        description="Authenticated with the kiosk's device token (Authorization: Device <token>). "
        "A wrong code is counted: the 5th within 15 minutes locks the compartment and alerts the district.",
        request=PickupSerializer,
        responses={
            200: PickupResultSerializer,
            400: error_response("wrong_code, expired, or invalid input."),
            401: error_response("invalid_device: no or an unknown device token."),
            404: error_response("unknown_compartment or no_parcel."),
            423: error_response("compartment_locked: too many wrong codes; staff must unlock it."),
            429: error_response(
                "too_many_attempts: too many wrong codes or requests from this kiosk, or too many "
                "unrecognised device tokens from this address (with Retry-After)."
            ),
        },
        tags=["kiosk"],
    )
    def post(self, request: Request) -> Response:
        serializer = PickupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery, fee = pickup_by_code(
            device=request.auth,
            compartment_label=serializer.validated_data["compartment"],
            code=serializer.validated_data["code"],
        )
        if fee:
            message = _("Compartment %(label)s is open. Fee due: %(fee)s won.") % {
                "label": delivery.compartment.label,
                "fee": f"{fee:,}",
            }
        else:
            message = _("Compartment %(label)s is open. No fee is due.") % {
                "label": delivery.compartment.label
            }
        return Response(
            PickupResultSerializer(
                {
                    "reference": delivery.reference,
                    "compartment": delivery.compartment.label,
                    "fee_due": fee,
                    "message": message,
                }
            ).data
        )
