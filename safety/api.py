"""Safety kits over the API: residents see their district's offer and follow their own requests; staff
review their district's requests, decide and schedule installation visits.

Every change goes through safety.services (the same functions as the pages and the admin). This module
checks the shape of what is sent and turns the services' refusals into the API's error format:

    {"error": {"status": 409, "code": "out_of_stock", "message": "…"}}

A refusal's HTTP status is 404 for someone else's request, 409 when the request's state or the stock
stands in the way (invalid_transition, out_of_stock), 400 otherwise.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.errors import error_response
from portal.api.fields import LocalizedField
from portal.api.staff import AccessLoggedRetrieveMixin, OldestFirstPagination, StaffModelPermission
from portal.i18n import localized
from portal.masking import mask_name
from portal.scoping_legacy import kit_requests_visible_to
from programs.selectors import household_for

from .models import (
    InstallationVisit,
    KitItem,
    KitRequest,
    KitRequestItem,
    KitRequestStatus,
    Priority,
    Slot,
    VisitStatus,
)
from .selectors import offer_eligibility, offer_for, stock_levels
from .services import (
    CANCELLABLE,
    DECISION_PROMISE,
    MAX_WINDOWS,
    STAFF_ACTIONS,
    TRANSITIONS,
    SafetyError,
    kit_request_cancel,
    kit_request_decide,
    kit_request_submit,
    survey_submit,
    visit_complete,
    visit_reschedule_request,
    visit_schedule,
)

CONFLICT_CODES = {"invalid_transition", "out_of_stock", "negative_stock"}
FIELD_OF = {
    "items_required": "items",
    "invalid_item": "items",
    "too_many_items": "items",
    "windows_required": "windows",
    "too_many_windows": "windows",
    "invalid_window": "windows",
    "window_in_past": "windows",
    "reason_required": "reason",
    "note_required": "note",
    "invalid_rating": "rating",
    "installer_required": "installer",
}


def refusal(error: SafetyError) -> Response:
    if error.code == "not_found":
        code = status.HTTP_404_NOT_FOUND
    elif error.code in CONFLICT_CODES:
        code = status.HTTP_409_CONFLICT
    else:
        code = status.HTTP_400_BAD_REQUEST
    body: dict[str, Any] = {"status": code, "code": error.code, "message": error.message}
    if error.code in FIELD_OF:
        body["fields"] = {FIELD_OF[error.code]: [error.message]}
    return Response({"error": body}, status=code)


def enum_field(values: list, description: str):
    # Wrapped in allOf so drf-spectacular keeps each enum inline: extracted, several "StatusEnum"s
    # would collide with the programs' and break `spectacular --fail-on-warn`.
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}

    @extend_schema_field(schema)
    class EnumField(serializers.CharField):
        pass

    return EnumField


RequestStatusField = enum_field(
    KitRequestStatus.values, "The request's status; status_display says it in words."
)
VisitStatusField = enum_field(VisitStatus.values, "The visit's status.")


# --- serializers -------------------------------------------------------------------------------------


class KitItemSerializer(serializers.ModelSerializer):
    name = LocalizedField("name")
    description = LocalizedField("description")

    class Meta:
        model = KitItem
        fields = ("id", "code", "name", "description", "icon")


class OfferItemSerializer(KitItemSerializer):
    available = serializers.BooleanField(help_text="Whether the district has any in stock now.")

    class Meta(KitItemSerializer.Meta):
        fields = (*KitItemSerializer.Meta.fields, "available")


class KitEligibilityLineSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True, help_text="null: the profile does not say.")
    rule = serializers.CharField()
    comparison = serializers.CharField()


class KitOfferEligibilitySerializer(serializers.Serializer):
    verdict = serializers.CharField(help_text="eligible, ineligible or needs_info.")
    rule_version = serializers.IntegerField()
    lines = KitEligibilityLineSerializer(many=True)


class OfferSerializer(serializers.Serializer):
    district = serializers.CharField(help_text="The district's code.")
    district_name = serializers.CharField()
    is_active = serializers.BooleanField(help_text="Whether the district takes requests now.")
    max_items = serializers.IntegerField(help_text="How many items one household may choose.")
    priority_notes = serializers.CharField()
    items = OfferItemSerializer(many=True)
    eligibility = KitOfferEligibilitySerializer(
        allow_null=True, help_text="Your profile against the district's criteria; null: everyone may ask."
    )
    open_request = serializers.IntegerField(allow_null=True, help_text="The id of your open request, if any.")


class KitWindowSerializer(serializers.Serializer):
    date = serializers.DateField()
    slot = serializers.ChoiceField(choices=Slot.choices)


class KitVisitSerializer(serializers.ModelSerializer):
    status = VisitStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InstallationVisit
        fields = (
            "id",
            "date",
            "window_start",
            "window_end",
            "installer",
            "status",
            "status_display",
            "note",
            "failure_reason",
            "resident_note",
        )


class KitRequestSerializer(serializers.ModelSerializer):
    status = RequestStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    items = serializers.SerializerMethodField()
    preferred_windows = KitWindowSerializer(many=True, read_only=True)
    visits = KitVisitSerializer(many=True, read_only=True)
    survey_rating = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()

    class Meta:
        model = KitRequest
        fields = (
            "id",
            "reference",
            "status",
            "status_display",
            "items",
            "preferred_windows",
            "priority",
            "eligibility_verdict",
            "submitted_at",
            "decided_at",
            "decision_reason",
            "visits",
            "survey_rating",
            "can_cancel",
        )

    @extend_schema_field(KitItemSerializer(many=True))
    def get_items(self, obj: KitRequest) -> list[dict]:
        return KitItemSerializer([line.item for line in obj.items.all()], many=True).data

    def get_survey_rating(self, obj: KitRequest) -> int | None:
        survey = getattr(obj, "survey", None)
        return survey.rating if survey else None

    def get_can_cancel(self, obj: KitRequest) -> bool:
        return obj.status in CANCELLABLE


class KitRequestCreateSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=8,
        help_text="Ids of items of your district's offer.",
    )
    windows = KitWindowSerializer(
        many=True, help_text=f"1 to {MAX_WINDOWS} preferred visit times, from tomorrow on."
    )


class KitRescheduleSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, help_text="Which days and times suit you better.")


class KitSurveySerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class StaffKitRequestSerializer(KitRequestSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    applicant = serializers.SerializerMethodField(help_text="Masked: open the request for the name.")
    allowed_actions = serializers.SerializerMethodField(
        help_text="The decide/ actions the status allows now."
    )

    class Meta(KitRequestSerializer.Meta):
        fields = (*KitRequestSerializer.Meta.fields, "district", "applicant", "allowed_actions")

    def get_applicant(self, obj: KitRequest) -> str:
        return mask_name(obj.household.name)

    def get_allowed_actions(self, obj: KitRequest) -> list[str]:
        allowed = TRANSITIONS.get(obj.status, set())
        actions = [name for name, to in STAFF_ACTIONS.items() if to in allowed]
        return [name for name in actions if name != "approve" or obj.status == KitRequestStatus.SUBMITTED]


class StaffKitRequestDetailSerializer(StaffKitRequestSerializer):
    applicant = serializers.SerializerMethodField(help_text="Name and phone, for arranging the visit.")
    eligibility_lines = KitEligibilityLineSerializer(many=True, read_only=True)

    class Meta(StaffKitRequestSerializer.Meta):
        fields = (*StaffKitRequestSerializer.Meta.fields, "eligibility_lines", "eligibility_rule_version")

    @extend_schema_field(
        {"type": "object", "properties": {"name": {"type": "string"}, "phone": {"type": "string"}}}
    )
    def get_applicant(self, obj: KitRequest) -> dict:
        return {"name": obj.household.name, "phone": obj.household.phone}


class KitDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(STAFF_ACTIONS))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required to reject: the resident reads it.",
    )


class KitVisitScheduleSerializer(serializers.Serializer):
    date = serializers.DateField()
    window_start = serializers.TimeField()
    window_end = serializers.TimeField()
    installer = serializers.CharField(max_length=100)


class KitVisitCompleteSerializer(serializers.Serializer):
    installed = serializers.BooleanField(
        help_text="true: installed; false: failed (failure_reason required)."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    failure_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- residents ---------------------------------------------------------------------------------------


def _with_related(queryset: QuerySet[KitRequest]) -> QuerySet[KitRequest]:
    return queryset.select_related("survey", "household", "district").prefetch_related(
        Prefetch("items", queryset=KitRequestItem.objects.select_related("item")), "visits"
    )


class OfferView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="My district's kit offer",
        description="The items (with whether they are in stock), the limit and your eligibility.",
        responses={
            200: OfferSerializer,
            403: error_response("Not logged in."),
            404: error_response("No offer."),
        },
        tags=["safety"],
    )
    def get(self, request: Request) -> Response:
        household = household_for(request.user)
        offer = offer_for(household.district_id) if household else None
        if offer is None:
            body = {
                "status": 404,
                "code": "not_found",
                "message": str(gettext_lazy("Your district has no kit offer.")),
            }
            return Response({"error": body}, status=status.HTTP_404_NOT_FOUND)
        levels = stock_levels(offer.district_id, [item.pk for item in offer.offered_items])
        for item in offer.offered_items:
            item.available = levels.get(item.pk, 0) > 0
        outcome = offer_eligibility(offer, household)
        open_request = (
            KitRequest.objects.filter(household=household, status__in=CANCELLABLE)
            .values_list("pk", flat=True)
            .first()
        )
        data = {
            "district": offer.district.code,
            "district_name": str(offer.district),
            "is_active": offer.is_active,
            "max_items": offer.max_items,
            "priority_notes": localized(offer, "priority_notes"),
            "items": offer.offered_items,
            "eligibility": outcome.as_dict() if outcome else None,
            "open_request": open_request,
        }
        return Response(OfferSerializer(data).data)


RESIDENT_REFUSALS = {403: error_response("Not logged in."), 404: error_response("Not one of yours.")}


@extend_schema_view(
    list=extend_schema(summary="My kit requests", tags=["safety"]),
    retrieve=extend_schema(
        summary="One of my kit requests",
        responses={200: KitRequestSerializer, **RESIDENT_REFUSALS},
        tags=["safety"],
    ),
)
class KitRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = KitRequestSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[KitRequest]:
        if getattr(self, "swagger_fake_view", False):
            return KitRequest.objects.none()
        return _with_related(KitRequest.objects.filter(household__user=self.request.user)).order_by(
            "-created_at", "-id"
        )

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(KitRequestSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        summary="Request a kit",
        request=KitRequestCreateSerializer,
        responses={
            201: KitRequestSerializer,
            400: error_response(
                "Invalid input, or refused: duplicate, no_offer, too_many_items, window_in_past …"
            ),
            403: error_response("Not logged in."),
        },
        tags=["safety"],
    )
    def create(self, request: Request) -> Response:
        serializer = KitRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            kit_request = kit_request_submit(
                user=request.user,
                item_ids=data["items"],
                windows=[dict(w) for w in data["windows"]],
                request=request,
            )
        except SafetyError as error:
            return refusal(error)
        return self._detail(kit_request.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel",
        request=None,
        responses={
            200: KitRequestSerializer,
            409: error_response("Already installed or closed."),
            **RESIDENT_REFUSALS,
        },
        tags=["safety"],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        try:
            kit_request_cancel(user=request.user, kit_request=kit_request, request=request)
        except SafetyError as error:
            return refusal(error)
        return self._detail(kit_request.pk)

    @extend_schema(
        summary="Ask to reschedule the visit",
        request=KitRescheduleSerializer,
        responses={
            200: KitRequestSerializer,
            409: error_response("No scheduled visit."),
            **RESIDENT_REFUSALS,
        },
        tags=["safety"],
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        serializer = KitRescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            visit_reschedule_request(
                user=request.user,
                kit_request=kit_request,
                note=serializer.validated_data["note"],
                request=request,
            )
        except SafetyError as error:
            return refusal(error)
        return self._detail(kit_request.pk)

    @extend_schema(
        summary="Answer the satisfaction survey",
        description="Once, after installation.",
        request=KitSurveySerializer,
        responses={200: KitRequestSerializer, 409: error_response("Not installed yet."), **RESIDENT_REFUSALS},
        tags=["safety"],
    )
    @action(detail=True, methods=["post"])
    def survey(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        serializer = KitSurveySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            survey_submit(
                user=request.user,
                kit_request=kit_request,
                rating=serializer.validated_data["rating"],
                comment=serializer.validated_data.get("comment", ""),
            )
        except SafetyError as error:
            return refusal(error)
        return self._detail(kit_request.pk)


# --- staff -------------------------------------------------------------------------------------------


class StaffSafetyPermission(StaffModelPermission):
    """Reading needs view_kitrequest; deciding and scheduling need change_kitrequest."""

    view_permission = "safety.view_kitrequest"
    change_permission = "safety.change_kitrequest"


class StaffKitRequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=KitRequestStatus.choices, help_text="Repeat for several: ?status=submitted&status=approved."
    )
    priority = django_filters.TypedChoiceFilter(
        choices=Priority.choices, coerce=int, help_text="1, 2, 3 or 9."
    )
    item = django_filters.NumberFilter(field_name="items__item_id", help_text="A kit item id.")
    waiting_over_7d = django_filters.BooleanFilter(
        method="filter_waiting", help_text="true: submitted (undecided) more than 7 days ago."
    )
    q = django_filters.CharFilter(
        method="filter_reference", max_length=20, help_text="Reference or its beginning."
    )

    class Meta:
        model = KitRequest
        fields: list[str] = []

    def filter_waiting(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = {
            "status": KitRequestStatus.SUBMITTED,
            "submitted_at__lt": timezone.now() - DECISION_PROMISE,
        }
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)

    def filter_reference(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(reference__startswith=value) if value else queryset


STAFF_REFUSALS = {
    403: error_response("Not logged in, not staff, or without the permission."),
    404: error_response("Not a request of your district."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Kit request queue",
        description="Your district's requests. Names are masked.",
        tags=["safety-staff"],
    ),
    retrieve=extend_schema(
        summary="A kit request in full",
        description="Each opening is written to the access log.",
        responses={200: StaffKitRequestDetailSerializer, **STAFF_REFUSALS},
        tags=["safety-staff"],
    ),
)
class StaffKitRequestViewSet(
    AccessLoggedRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [StaffSafetyPermission]
    filterset_class = StaffKitRequestFilter
    pagination_class = OldestFirstPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[KitRequest]:
        if getattr(self, "swagger_fake_view", False):
            return KitRequest.objects.none()
        queryset = _with_related(kit_requests_visible_to(self.request.user))
        return queryset.distinct() if self.request.query_params.get("item") else queryset

    def get_serializer_class(self):
        return StaffKitRequestSerializer if self.action == "list" else StaffKitRequestDetailSerializer

    def _detail(self, pk: int) -> Response:
        return Response(StaffKitRequestDetailSerializer(self.get_queryset().get(pk=pk)).data)

    access_log_action = "safety.kit_request.viewed"

    def access_log_subject(self, obj):
        return obj.household.user_id, obj.district

    @extend_schema(
        summary="Decide",
        description="approve (reserves one of each item; 409 out_of_stock when any is gone) "
        "or reject (reason).",
        request=KitDecisionSerializer,
        responses={
            200: StaffKitRequestDetailSerializer,
            400: error_response("reason_required."),
            409: error_response("invalid_transition or out_of_stock."),
            **STAFF_REFUSALS,
        },
        tags=["safety-staff"],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        serializer = KitDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            kit_request_decide(
                kit_request=kit_request,
                action=serializer.validated_data["action"],
                actor=request.user,
                reason=serializer.validated_data.get("reason", ""),
                request=request,
            )
        except SafetyError as error:
            return refusal(error)
        return self._detail(kit_request.pk)

    @extend_schema(
        summary="Schedule the installation visit",
        description="For an approved request; replaces any earlier open visit. The resident is notified.",
        request=KitVisitScheduleSerializer,
        responses={
            201: StaffKitRequestDetailSerializer,
            400: error_response("invalid_window, window_in_past or installer_required."),
            409: error_response("invalid_transition: not approved."),
            **STAFF_REFUSALS,
        },
        tags=["safety-staff"],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def visits(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        serializer = KitVisitScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            visit_schedule(
                kit_request=kit_request, actor=request.user, request=request, **serializer.validated_data
            )
        except SafetyError as error:
            return refusal(error)
        response = self._detail(kit_request.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class StaffVisitViewSet(viewsets.GenericViewSet):
    """Installation visits of the staff member's district: only their outcome is recorded here."""

    permission_classes = [StaffSafetyPermission]
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[InstallationVisit]:
        if getattr(self, "swagger_fake_view", False):
            return InstallationVisit.objects.none()
        return InstallationVisit.objects.filter(request__in=kit_requests_visible_to(self.request.user))

    @extend_schema(
        summary="Record a visit's outcome",
        description="installed (the request is done) or failed with failure_reason (back to approved).",
        request=KitVisitCompleteSerializer,
        responses={
            200: StaffKitRequestDetailSerializer,
            400: error_response("reason_required."),
            409: error_response("invalid_transition: the visit is closed."),
            **STAFF_REFUSALS,
        },
        tags=["safety-staff"],
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        serializer = KitVisitCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            visit_complete(
                visit=visit,
                actor=request.user,
                installed=data["installed"],
                note=data.get("note", ""),
                failure_reason=data.get("failure_reason", ""),
                request=request,
            )
        except SafetyError as error:
            return refusal(error)
        kit_request = _with_related(kit_requests_visible_to(request.user)).get(pk=visit.request_id)
        return Response(StaffKitRequestDetailSerializer(kit_request).data)
