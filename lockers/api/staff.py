"""Parcel lockers over the API for district staff: their district's deliveries (recipients masked) and
depositing a parcel, which texts the recipient the one-time code. Refusals (LockerError) are answered by
portal.api.errors: 409 full or busy, 400 otherwise."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name
from portal.roles import STAFF_ROLES

from ..models import CompartmentSize, Delivery, LockerSite
from ..selectors import registrations_by_phone
from ..services import LockerError, delivery_deposit


class StaffLockerPermission(permissions.BasePermission):
    message = gettext_lazy("Only district staff may use this.")

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.role in STAFF_ROLES):
            return False
        return user.has_perm("lockers.add_delivery" if view.action == "create" else "lockers.view_delivery")


class DepositSerializer(serializers.Serializer):
    site = serializers.IntegerField(help_text="The id of a locker site of your district.")
    recipient_phone = serializers.CharField(
        max_length=13, help_text="The recipient's mobile number, e.g. 010-1234-5678; they must be registered."
    )
    size = serializers.ChoiceField(choices=CompartmentSize.values, help_text="S, M or L.")
    courier = serializers.CharField(
        max_length=60, required=False, allow_blank=True, validators=[refuse_identifiers]
    )
    tracking_number = serializers.CharField(max_length=40, required=False, allow_blank=True)


class StaffDeliverySerializer(serializers.ModelSerializer):
    site = serializers.CharField(source="compartment.site.name", read_only=True)
    compartment = serializers.CharField(source="compartment.label", read_only=True)
    recipient = serializers.SerializerMethodField(help_text="Masked.")
    status = serializers.CharField(read_only=True, help_text="stored, picked_up, return_marked or returned.")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Delivery
        fields = (
            "id",
            "reference",
            "site",
            "compartment",
            "recipient",
            "courier",
            "tracking_number",
            "status",
            "status_display",
            "deposited_at",
            "picked_up_at",
            "fee_charged",
        )

    def get_recipient(self, obj: Delivery) -> str:
        household = getattr(obj.recipient, "household", None)
        return mask_name(household.name) if household is not None else "—"


@extend_schema_view(
    list=extend_schema(
        summary="Deliveries of your district",
        description="Newest first; recipients masked.",
        responses={200: StaffDeliverySerializer(many=True), 403: error_response("Not district staff.")},
        tags=["lockers (staff)"],
    ),
    create=extend_schema(
        summary="Deposit a parcel",
        description="Puts the parcel in a free compartment of the size asked and texts the recipient the "
        "one-time pickup code.",
        request=DepositSerializer,
        responses={
            201: StaffDeliverySerializer,
            400: error_response("not_registered, no_sms, invalid input, or not a site of your district."),
            403: error_response("Not district staff."),
            409: error_response("full: no free compartment of that size."),
        },
        tags=["lockers (staff)"],
    ),
)
class StaffDeliveryViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = StaffDeliverySerializer
    permission_classes = [StaffLockerPermission]

    def get_queryset(self) -> QuerySet[Delivery]:
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        return (
            Delivery.objects.visible_to(self.request.user)
            .select_related("compartment__site", "recipient__household")
            .order_by("-deposited_at", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = DepositSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        site = (
            LockerSite.objects.visible_to(request.user)
            .filter(pk=data["site"])
            .select_related("district")
            .first()
        )
        if site is None:
            raise serializers.ValidationError({"site": [_("Not a locker site of your district.")]})
        registrations = registrations_by_phone(site, data["recipient_phone"])
        if len(registrations) != 1:
            raise LockerError(
                "not_registered",
                _("No one registered for this site has that mobile number.")
                if not registrations
                else _("Several residents share that mobile number: deposit through the admin."),
            )
        delivery = delivery_deposit(
            site=site,
            recipient=registrations[0].user,
            size=data["size"],
            actor=request.user,
            courier=data.get("courier", ""),
            tracking_number=data.get("tracking_number", ""),
            request=request,
        )
        delivery = self.get_queryset().get(pk=delivery.pk)
        return Response(StaffDeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)
