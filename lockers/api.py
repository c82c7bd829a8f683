"""Parcel lockers over the API: the kiosk's pickup, residents' sites, registrations and parcels, and the
staff's deposits.

The kiosk authenticates with its device token (``Authorization: Device <token>``): no session, so no
CSRF. Every refusal is the house error format with the service's code:

    {"error": {"status": 400, "code": "wrong_code", "message": "…"}}

401 invalid_device, 423 compartment_locked, 429 too_many_attempts, 404 unknown_compartment / no_parcel,
400 wrong_code / expired / invalid (bad input). No input, however malformed, answers 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from portal.api.errors import ApiErrorSerializer
from portal.masking import mask_name
from portal.roles import STAFF_ROLES
from portal.scoping_legacy import deliveries_visible_to, locker_sites_visible_to

from .models import IN_COMPARTMENT, CompartmentSize, Delivery, LockerDevice, LockerRegistration, LockerSite
from .selectors import registrations_by_phone, sites_with_availability
from .services import (
    LockerError,
    delivery_deposit,
    device_for_token,
    fee_due,
    free_until,
    locker_register,
    pickup_by_code,
    policy_for,
)

ERROR_STATUS = {
    "invalid_device": status.HTTP_401_UNAUTHORIZED,
    "compartment_locked": status.HTTP_423_LOCKED,
    "too_many_attempts": status.HTTP_429_TOO_MANY_REQUESTS,
    "unknown_compartment": status.HTTP_404_NOT_FOUND,
    "no_parcel": status.HTTP_404_NOT_FOUND,
    "not_found": status.HTTP_404_NOT_FOUND,
    "full": status.HTTP_409_CONFLICT,
    "busy": status.HTTP_409_CONFLICT,
}


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ApiErrorSerializer, description=description)


def refusal(error: LockerError) -> Response:
    code = ERROR_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST)
    response = Response(
        {"error": {"status": code, "code": error.code, "message": error.message}}, status=code
    )
    if code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = "Device"
    return response


# --- the kiosk ---------------------------------------------------------------------------------------


class DeviceAuthentication(BaseAuthentication):
    """``Authorization: Device <token>``: the kiosk's device, found by the SHA-256 of its token.

    request.user is anonymous and request.auth the LockerDevice. Anything else (no header, another
    scheme, an unknown or disabled device) is refused with 401 invalid_device.
    """

    keyword = "device"

    def authenticate(self, request: Request):
        parts = get_authorization_header(request).split()
        device = None
        if len(parts) == 2 and parts[0].lower() == self.keyword.encode():
            try:
                device = device_for_token(parts[1].decode("ascii"))
            except UnicodeDecodeError:
                device = None
        if device is None:
            raise exceptions.AuthenticationFailed(
                _("This kiosk is not recognised. Ask the district office."), code="invalid_device"
            )
        return AnonymousUser(), device

    def authenticate_header(self, request: Request) -> str:
        return "Device"  # so that a refusal is a 401, not a 403


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "lockers.api.DeviceAuthentication"
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


class DeviceRateThrottle(SimpleRateThrottle):
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
            429: error_response("too_many_attempts: too many wrong codes or requests from this kiosk."),
        },
        tags=["kiosk"],
    )
    def post(self, request: Request) -> Response:
        serializer = PickupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            delivery, fee = pickup_by_code(
                device=request.auth,
                compartment_label=serializer.validated_data["compartment"],
                code=serializer.validated_data["code"],
            )
        except LockerError as error:
            return refusal(error)
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


# --- residents ---------------------------------------------------------------------------------------


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
        try:
            registration = locker_register(
                user=request.user, site=serializer.validated_data["site"], request=request
            )
        except LockerError as error:
            return refusal(error)
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


# --- staff -------------------------------------------------------------------------------------------


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
    courier = serializers.CharField(max_length=60, required=False, allow_blank=True)
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
            deliveries_visible_to(self.request.user)
            .select_related("compartment__site", "recipient__household")
            .order_by("-deposited_at", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = DepositSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        site = (
            locker_sites_visible_to(request.user).filter(pk=data["site"]).select_related("district").first()
        )
        if site is None:
            raise serializers.ValidationError({"site": [_("Not a locker site of your district.")]})
        registrations = registrations_by_phone(site, data["recipient_phone"])
        if len(registrations) != 1:
            return refusal(
                LockerError(
                    "not_registered",
                    _("No one registered for this site has that mobile number.")
                    if not registrations
                    else _("Several residents share that mobile number: deposit through the admin."),
                )
            )
        try:
            delivery = delivery_deposit(
                site=site,
                recipient=registrations[0].user,
                size=data["size"],
                actor=request.user,
                courier=data.get("courier", ""),
                tracking_number=data.get("tracking_number", ""),
                request=request,
            )
        except LockerError as error:
            return refusal(error)
        delivery = self.get_queryset().get(pk=delivery.pk)
        return Response(StaffDeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)
