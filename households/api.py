"""The resident's own household profile over the API: GET, PUT (create or replace) and PATCH."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.errors import error_response
from portal.models import District, Neighbourhood

from .models import Consent, Household
from .services import ConsentRequired, active_consents, household_save
from .validation import household_problems


class HouseholdSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
    neighbourhood = serializers.SlugRelatedField(
        slug_field="code", queryset=Neighbourhood.objects.all(), required=False, allow_null=True
    )
    consent_profile = serializers.BooleanField(
        write_only=True, required=False, help_text="Give the required consent (needed on first save)."
    )
    consent_sensitive = serializers.BooleanField(
        write_only=True, required=False, help_text="Give the optional consent for sensitive circumstances."
    )
    consents = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = (
            "name",
            "birth_date",
            "gender",
            "phone",
            "district",
            "neighbourhood",
            "address_detail",
            "housing_tenure",
            "household_size",
            "monthly_income",
            "employment",
            "income_support",
            "crime_victim",
            "single_parent",
            "disability",
            "notify_by_email",
            "notify_by_sms",
            "consent_profile",
            "consent_sensitive",
            "consents",
            "phone_verified_at",
            "updated_at",
        )
        # A changed number clears phone_verified_at: verify it with /api/v1/me/phone/verification/.
        read_only_fields = ("phone_verified_at", "updated_at")

    def get_consents(self, obj: Household) -> list[str]:
        return sorted(self.context["given_consents"])

    def validate(self, attrs: dict) -> dict:
        given = self.context["given_consents"]
        merged = {**self._current_values(), **attrs}
        sensitive = Consent.Purpose.SENSITIVE in given or bool(attrs.get("consent_sensitive"))
        if Consent.Purpose.PROFILE not in given and not attrs.get("consent_profile"):
            raise serializers.ValidationError(
                {
                    "consent_profile": [
                        _("We can keep your profile only with this consent: send consent_profile=true.")
                    ]
                }
            )
        problems = household_problems(merged, sensitive_consent=sensitive)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            name: getattr(self.instance, name) for name in self.Meta.fields if hasattr(self.instance, name)
        }


class MyHouseholdView(APIView):
    """The logged-in resident's household profile."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = HouseholdSerializer

    def _context(self, request: Request) -> dict:
        return {"request": request, "given_consents": active_consents(user=request.user)}

    def _instance(self, request: Request) -> Household | None:
        return Household.objects.select_related("district", "neighbourhood").filter(user=request.user).first()

    @extend_schema(responses={200: HouseholdSerializer, 404: error_response("No household profile yet.")})
    def get(self, request: Request) -> Response:
        household = self._instance(request)
        if household is None:
            raise NotFound(_("You have not registered a household profile yet."))
        return Response(HouseholdSerializer(household, context=self._context(request)).data)

    @extend_schema(
        request=HouseholdSerializer,
        responses={
            200: HouseholdSerializer,
            201: OpenApiResponse(HouseholdSerializer, description="The profile was created."),
        },
    )
    def put(self, request: Request) -> Response:
        return self._save(request, partial=False)

    @extend_schema(
        request=HouseholdSerializer,
        responses={
            200: HouseholdSerializer,
            404: error_response("No household profile yet: PUT creates it."),
        },
    )
    def patch(self, request: Request) -> Response:
        return self._save(request, partial=True)

    def _save(self, request: Request, *, partial: bool) -> Response:
        instance = self._instance(request)
        if instance is None and partial:
            raise NotFound(_("You have not registered a household profile yet: use PUT to create it."))
        serializer = HouseholdSerializer(
            instance, data=request.data, partial=partial, context=self._context(request)
        )
        serializer.is_valid(raise_exception=True)
        consents = set()
        if serializer.validated_data.get("consent_profile"):
            consents.add(Consent.Purpose.PROFILE)
        if serializer.validated_data.get("consent_sensitive"):
            consents.add(Consent.Purpose.SENSITIVE)
        try:
            household = household_save(
                user=request.user, data=serializer.validated_data, consents=consents, request=request
            )
        except ConsentRequired as exc:
            raise serializers.ValidationError({"consent_profile": [_("This consent is required.")]}) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        household.refresh_from_db()
        status = 200 if instance is not None else 201
        return Response(HouseholdSerializer(household, context=self._context(request)).data, status=status)
