"""Parcel lockers over the API for residents: the sites with their free compartments, registering for
a site, and their own parcels (never a pickup code: that is only in the text message)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response

from ..models import IN_COMPARTMENT, Delivery, LockerRegistration, LockerSite
from ..selectors import sites_with_availability
from ..services import fee_due, free_until, locker_register, policy_for


class AvailabilitySerializer(serializers.Serializer):
    S = serializers.IntegerField(source="free_s", help_text="Free small compartments.")
    M = serializers.IntegerField(source="free_m", help_text="Free medium compartments.")
    L = serializers.IntegerField(source="free_l", help_text="Free large compartments.")
    total = serializers.IntegerField(source="free_total")


class LockerSiteSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name", read_only=True)
    compartments = serializers.IntegerField(source="total", read_only=True)
    free = AvailabilitySerializer(source="*", read_only=True)

    class Meta:
        model = LockerSite
        fields = ("id", "name", "address", "district", "opening_hours", "compartments", "free")


@extend_schema_view(
    list=extend_schema(
        summary="Parcel locker sites",
        description="Sites in service with their free compartments per size (S, M, L).",
        tags=["lockers"],
    )
)
class LockerSiteViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = LockerSiteSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[LockerSite]:
        return sites_with_availability().order_by("district__code", "name", "pk")


class RegistrationSerializer(serializers.ModelSerializer):
    site = serializers.PrimaryKeyRelatedField(
        queryset=LockerSite.objects.filter(is_active=True), help_text="The id of the locker site."
    )

    class Meta:
        model = LockerRegistration
        fields = ("id", "site", "created_at")
        read_only_fields = ("id", "created_at")


@extend_schema_view(
    list=extend_schema(summary="My locker registrations", tags=["lockers"]),
    create=extend_schema(
        summary="Register for a locker site",
        description="Parcels can then be left for you there; the pickup code comes by text message, "
        "so your details need a mobile number with text messages on. Registering twice is harmless.",
        responses={
            201: RegistrationSerializer,
            400: error_response("no_sms, site_closed, or an unknown site."),
            403: error_response("Not logged in."),
        },
        tags=["lockers"],
    ),
)
class LockerRegistrationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[LockerRegistration]:
        if getattr(self, "swagger_fake_view", False):
            return LockerRegistration.objects.none()
        return LockerRegistration.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = locker_register(
            user=request.user, site=serializer.validated_data["site"], request=request
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class MyDeliverySerializer(serializers.ModelSerializer):
    site = serializers.CharField(source="compartment.site.name", read_only=True)
    address = serializers.CharField(source="compartment.site.address", read_only=True)
    compartment = serializers.CharField(source="compartment.label", read_only=True)
    status = serializers.CharField(read_only=True, help_text="stored, picked_up, return_marked or returned.")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    free_until = serializers.SerializerMethodField()
    fee_so_far = serializers.SerializerMethodField(help_text="In won; the fee charged once picked up.")

    class Meta:
        model = Delivery
        fields = (
            "id",
            "reference",
            "site",
            "address",
            "compartment",
            "status",
            "status_display",
            "courier",
            "deposited_at",
            "free_until",
            "fee_so_far",
            "picked_up_at",
        )

    def _policy(self, obj: Delivery):
        cache = self.context.setdefault("policies", {})
        if obj.district_id not in cache:
            cache[obj.district_id] = policy_for(obj.district_id)
        return cache[obj.district_id]

    def get_free_until(self, obj: Delivery) -> str:
        return free_until(obj, self._policy(obj)).isoformat()

    def get_fee_so_far(self, obj: Delivery) -> int:
        if obj.status not in IN_COMPARTMENT:
            return obj.fee_charged or 0
        return fee_due(deposited_at=obj.deposited_at, at=timezone.now(), policy=self._policy(obj))


@extend_schema_view(
    list=extend_schema(
        summary="My parcels",
        description="Parcels left for you, newest first. "
        "Pickup codes are never shown: they come by text message.",
        tags=["lockers"],
    )
)
class MyDeliveryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MyDeliverySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Delivery]:
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        return (
            Delivery.objects.filter(recipient=self.request.user)
            .select_related("compartment__site")
            .order_by("-deposited_at", "-pk")
        )
