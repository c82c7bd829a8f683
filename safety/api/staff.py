"""Safety kits over the API for district staff: the request queue (names masked), a request in full
(access-logged), decisions, visit scheduling and outcomes. Every queryset is the staff member's
district's (KitRequest.objects.visible_to), so another district's request is a 404.

Refusals propagate to portal.api.errors: 409 when the request's state or the stock stands in the way
(invalid_transition, out_of_stock), 400 for bad input.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import AccessLoggedRetrieveMixin, OldestFirstPagination, StaffModelPermission
from portal.filters import IdFilter

from ..models import InstallationVisit, KitRequest, KitRequestStatus, Priority
from ..services import DECISION_PROMISE, kit_request_decide, visit_complete, visit_schedule
from .serializers import (
    KitDecisionSerializer,
    KitVisitCompleteSerializer,
    KitVisitScheduleSerializer,
    StaffKitRequestDetailSerializer,
    StaffKitRequestSerializer,
    with_related,
)


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
    item = IdFilter(field_name="items__item_id", help_text="A kit item id.")
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
        queryset = with_related(KitRequest.objects.visible_to(self.request.user))
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
        kit_request_decide(
            kit_request=kit_request,
            action=serializer.validated_data["action"],
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
            request=request,
        )
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
        visit_schedule(
            kit_request=kit_request, actor=request.user, request=request, **serializer.validated_data
        )
        response = self._detail(kit_request.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class StaffVisitViewSet(viewsets.GenericViewSet):
    """Installation visits of the staff member's district: only their outcome is recorded here."""

    permission_classes = [StaffSafetyPermission]
    # Its one action's input: OPTIONS describes it from here (without one, OPTIONS was a 500).
    serializer_class = KitVisitCompleteSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[InstallationVisit]:
        if getattr(self, "swagger_fake_view", False):
            return InstallationVisit.objects.none()
        return InstallationVisit.objects.filter(request__in=KitRequest.objects.visible_to(self.request.user))

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
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visit_complete(
            visit=visit,
            actor=request.user,
            installed=data["installed"],
            note=data.get("note", ""),
            failure_reason=data.get("failure_reason", ""),
            request=request,
        )
        kit_request = with_related(KitRequest.objects.visible_to(request.user)).get(pk=visit.request_id)
        return Response(StaffKitRequestDetailSerializer(kit_request).data)
