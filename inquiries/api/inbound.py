"""The gateways' webhooks: inbound text messages and emails become inquiries (inquiries.services.inbound).

Signed (inquiries.api.signature), not logged in: the gateway is no user. Idempotent on the provider's
message id: a retried delivery answers 200 with stored=false.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.errors import error_response

from ..services import InquiryError, inquiry_receive_email, inquiry_receive_sms
from .serializers import InboundEmailSerializer, InboundResultSerializer, InboundSmsSerializer
from .signature import HEADER, is_signed

SIGNATURE = OpenApiParameter(
    "X-Hana-Signature",
    location=OpenApiParameter.HEADER,
    required=True,
    description="sha256=<hex HMAC-SHA256 of the raw body under INQUIRY_WEBHOOK_SECRET>",
)
REFUSALS = {
    400: error_response("Invalid input: invalid_sender, body_required, invalid_message_id …"),
    403: error_response("bad_signature: the body is not signed with the webhook secret."),
}


class _Inbound(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = InboundSmsSerializer

    def _check_signature(self, request: Request) -> None:
        # The raw body, read before the parsers: the signature covers the bytes the gateway sent.
        if not is_signed(request.body, request.META.get(HEADER, "")):
            raise InquiryError("bad_signature", _("The request is not signed with the webhook secret."))

    def _answer(self, inquiry, stored: bool) -> Response:
        data = {"reference": inquiry.reference, "stored": stored, "channel": inquiry.channel}
        return Response(InboundResultSerializer(data).data, status=200)


class InboundSmsView(_Inbound):
    @extend_schema(
        summary="Gateway: an inbound text message",
        description="A new inquiry, or the next message of the sender's open thread. The number is matched "
        "to a household that verified it; otherwise a guest thread answered by text.",
        parameters=[SIGNATURE],
        request=InboundSmsSerializer,
        responses={200: InboundResultSerializer, **REFUSALS},
        tags=["inquiries-gateway"],
    )
    def post(self, request: Request) -> Response:
        self._check_signature(request)
        serializer = InboundSmsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inquiry, stored = inquiry_receive_sms(
            sender=data["sender"], text=data["text"], message_id=data["message_id"]
        )
        return self._answer(inquiry, stored)


class InboundEmailView(_Inbound):
    serializer_class = InboundEmailSerializer

    @extend_schema(
        summary="Mail gateway: an inbound email (already parsed)",
        description="A new inquiry, or the next message of a thread whose reference (IQ-2026-000123) is in "
        "the subject. The address is matched to an account; otherwise a guest thread answered by email.",
        parameters=[SIGNATURE],
        request=InboundEmailSerializer,
        responses={200: InboundResultSerializer, **REFUSALS},
        tags=["inquiries-gateway"],
    )
    def post(self, request: Request) -> Response:
        self._check_signature(request)
        serializer = InboundEmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inquiry, stored = inquiry_receive_email(
            sender=data["sender"], subject=data["subject"], text=data["text"], message_id=data["message_id"]
        )
        return self._answer(inquiry, stored)
