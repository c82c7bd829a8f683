"""The resident's mobile number verification over the API: send a code, then confirm it.

Refusals are households.phone's PhoneVerificationError, answered by the API's one exception handler:
429 with Retry-After for the send throttles, 400 for a wrong, expired or used-up code.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.errors import error_response
from portal.api.fields import SupportedDateTimeField
from portal.masking import mask_phone

from .phone import phone_verification_confirm, phone_verification_start


class PhoneCodeSentSerializer(serializers.Serializer):
    sent_to = serializers.CharField(help_text="The number the code went to, masked (010-****-5678).")
    expires_at = SupportedDateTimeField(read_only=True, help_text="The code works until then.")
    resend_after_seconds = serializers.IntegerField(help_text="A new code can be asked for after this wait.")


class PhoneCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="The 6 digits of the text message.")


class PhoneVerifiedSerializer(serializers.Serializer):
    phone = serializers.CharField()
    phone_verified_at = SupportedDateTimeField(read_only=True)


class PhoneVerificationView(APIView):
    """Text a verification code to the number of the logged-in resident's household profile."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PhoneCodeSentSerializer

    @extend_schema(
        summary="Send a code to my mobile number",
        description="Texts a 6-digit code to the profile's number; a code sent earlier stops working. "
        "At most one code a minute and a limited number a day, per account and per number.",
        request=None,
        responses={
            201: PhoneCodeSentSerializer,
            400: error_response("no_phone (add a number to the profile first) or already_verified."),
            429: error_response("too_soon or daily_limit: wait the Retry-After seconds (also retry_after)."),
        },
        tags=["households"],
    )
    def post(self, request: Request) -> Response:
        verification = phone_verification_start(user=request.user, request=request)
        phone = request.user.household.phone
        body = {
            "sent_to": mask_phone(phone),
            "expires_at": verification.expires_at,
            "resend_after_seconds": settings.PHONE_CODE_RESEND_SECONDS,
        }
        return Response(PhoneCodeSentSerializer(body).data, status=201)


class PhoneVerificationConfirmView(APIView):
    """Confirm the code texted to the resident's number: the number is then verified."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PhoneCodeSerializer

    @extend_schema(
        summary="Confirm the code sent to my mobile number",
        request=PhoneCodeSerializer,
        responses={
            200: PhoneVerifiedSerializer,
            400: error_response(
                "invalid_code, wrong_code (tries left in the message), expired, too_many_attempts "
                "(ask for a new code), no_code, or no_phone."
            ),
        },
        tags=["households"],
    )
    def post(self, request: Request) -> Response:
        serializer = PhoneCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        household = phone_verification_confirm(
            user=request.user, code=serializer.validated_data["code"], request=request
        )
        return Response(
            PhoneVerifiedSerializer(
                {"phone": household.phone, "phone_verified_at": household.phone_verified_at}
            ).data
        )
