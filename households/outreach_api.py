"""The resident's outreach choices over the API: GET and PUT /api/v1/me/outreach/.

PUT with opted_in=true gives the OUTREACH consent (if not given yet) and saves the channels, cadence and
weekly limit; opted_in=false withdraws the consent (the other fields are then ignored and the choices
kept). Refusals are households.outreach's OutreachError, answered by the API's one exception handler.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.errors import error_response
from portal.api.fields import SupportedDateTimeField

from .models import OUTREACH_WEEKLY_LIMIT_MAX, Household, OutreachPreference
from .outreach import outreach_opt_in, outreach_opt_out, outreach_status


class OutreachSerializer(serializers.Serializer):
    opted_in = serializers.BooleanField(help_text="Tell me about programs I may qualify for (the consent).")
    by_email = serializers.BooleanField(
        required=False, default=False, help_text="Also by email (to a verified address)."
    )
    by_sms = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also by text message: only to a verified number, never 21:00-08:00 Seoul time.",
    )
    cadence = serializers.ChoiceField(
        choices=OutreachPreference.Cadence.choices,
        required=False,
        default=OutreachPreference.Cadence.IMMEDIATE,
        help_text="immediate (each program as it opens) or weekly (one summary a week).",
    )
    weekly_limit = serializers.IntegerField(
        min_value=1,
        max_value=OUTREACH_WEEKLY_LIMIT_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="At most this many messages a week; null or absent: the portal's default.",
    )
    opted_in_at = SupportedDateTimeField(
        read_only=True, allow_null=True, help_text="When the consent was given (null: not opted in)."
    )
    consent_version = serializers.CharField(
        read_only=True, allow_null=True, help_text="The notice version the consent was given under."
    )
    phone_verified = serializers.BooleanField(
        read_only=True, help_text="Whether text messages can reach the profile's number."
    )
    updated_at = SupportedDateTimeField(
        read_only=True, allow_null=True, help_text="When the choices were last saved (null: never)."
    )


class MyOutreachView(APIView):
    """Whether and how the logged-in resident hears about programs they may qualify for."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = OutreachSerializer

    def _household(self, request: Request) -> Household:
        household = (
            Household.objects.select_related("user")
            .filter(user=request.user, anonymized_at__isnull=True)
            .first()
        )
        if household is None:
            raise NotFound(_("You have not registered a household profile yet."))
        return household

    @extend_schema(
        summary="My outreach choices",
        responses={200: OutreachSerializer, 404: error_response("No household profile yet.")},
        tags=["households"],
    )
    def get(self, request: Request) -> Response:
        return Response(OutreachSerializer(outreach_status(self._household(request))).data)

    @extend_schema(
        summary="Opt in to (or out of) outreach and set its channels",
        request=OutreachSerializer,
        responses={
            200: OutreachSerializer,
            400: error_response("A field's value, or no_phone (text messages need a number on the profile)."),
            404: error_response("No household profile yet."),
        },
        tags=["households"],
    )
    def put(self, request: Request) -> Response:
        household = self._household(request)
        serializer = OutreachSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["opted_in"]:
            outreach_opt_in(
                user=request.user,
                by_email=data["by_email"],
                by_sms=data["by_sms"],
                cadence=data["cadence"],
                weekly_limit=data["weekly_limit"],
                request=request,
            )
        else:
            outreach_opt_out(user=request.user, request=request, source="web")
        household.refresh_from_db()
        return Response(OutreachSerializer(outreach_status(household)).data)
