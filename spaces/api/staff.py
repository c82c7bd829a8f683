"""District staff over the API: their district's bookings (decide, record attendance, cancel) and the
staff booking series for regular programs. Querysets are scoped with `visible_to`: another district's
booking or series is a 404. Refusals propagate as BookingError (SeriesError) to the API's one exception
handler."""

from __future__ import annotations

import django_filters
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import AccessLoggedRetrieveMixin, StaffModelPermission
from portal.datefields import SupportedDateFilter
from portal.filters import IdFilter
from portal.roles import STAFF_ROLES
from portal.timeutils import local_midnight

from ..models import UPCOMING_STATUSES, Booking, BookingSeries, BookingStatus, Room, Space
from ..selectors import programs_editable_by
from ..services import (
    booking_decide,
    booking_mark_attendance,
    booking_staff_cancel,
    series_cancel,
    series_create,
)
from .serializers import (
    AttendanceSerializer,
    BookingDecisionSerializer,
    BookingSeriesSerializer,
    CancelReasonSerializer,
    SeriesCancelResultSerializer,
    SeriesConflictsErrorSerializer,
    SeriesCreateSerializer,
    StaffBookingDetailSerializer,
    StaffBookingSerializer,
)

TAGS_STAFF = ["spaces-staff"]


class StaffBookingPermission(StaffModelPermission):
    """Reading needs view_booking; deciding, attendance and cancelling need change_booking."""

    view_permission = "spaces.view_booking"
    change_permission = "spaces.change_booking"


ORDERINGS = {
    # Pending first (they wait for a decision), each group oldest request first.
    "pending_first": ("pending_rank", "created_at", "pk"),
    "oldest_first": ("created_at", "pk"),
    "starts_at": ("starts_at", "pk"),
    "-starts_at": ("-starts_at", "-pk"),
}


class StaffBookingFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=BookingStatus.choices, help_text="Repeat for several: ?status=pending&status=confirmed."
    )
    space = IdFilter(field_name="room__space_id", help_text="A space id.")
    room = IdFilter(field_name="room_id", help_text="A room id.")
    series = IdFilter(field_name="series_id", help_text="A booking series id.")
    starts_from = SupportedDateFilter(
        method="filter_starts_from", help_text="Starting on or after this day (YYYY-MM-DD, Seoul)."
    )
    starts_until = SupportedDateFilter(
        method="filter_starts_until", help_text="Starting on or before this day (YYYY-MM-DD, Seoul)."
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(name, name) for name in ORDERINGS],
        method="filter_ordering",
        empty_label=None,
        help_text="pending_first (default: pending bookings first, then oldest request first), "
        "oldest_first (by request time), starts_at (soonest first) or -starts_at.",
    )

    class Meta:
        model = Booking
        fields: list[str] = []

    def filter_starts_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=local_midnight(value))

    def filter_starts_until(self, queryset, name, value):
        return queryset.filter(starts_at__lt=local_midnight(value, days=1))

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS.get(value or "pending_first", ORDERINGS["pending_first"]))


STAFF_REFUSALS = {
    403: error_response("Not logged in, not staff, or without the permission."),
    404: error_response("Not a booking of your district's spaces."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Bookings of your district's spaces",
        description="Pending first, then oldest request first (see `ordering`). Household names are masked.",
        responses={
            200: StaffBookingSerializer(many=True),
            400: error_response("A filter value is not valid."),
            403: STAFF_REFUSALS[403],
        },
        tags=TAGS_STAFF,
    ),
    retrieve=extend_schema(
        summary="A booking in full",
        description="With the household's name and phone. Each opening is written to the access log.",
        responses={200: StaffBookingDetailSerializer, **STAFF_REFUSALS},
        tags=TAGS_STAFF,
    ),
)
class StaffBookingViewSet(
    AccessLoggedRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [StaffBookingPermission]
    filterset_class = StaffBookingFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Booking.objects.none()
        queryset = (
            Booking.objects.visible_to(self.request.user)
            .select_related("room__space", "household", "series", "district")
            .annotate(
                pending_rank=Case(
                    When(status=BookingStatus.PENDING, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by(*ORDERINGS["pending_first"])
        )
        if self.action != "list":
            queryset = queryset.select_related("decided_by")
        return queryset

    def get_serializer_class(self):
        return StaffBookingSerializer if self.action == "list" else StaffBookingDetailSerializer

    access_log_action = "spaces.booking.viewed"

    def access_log_subject(self, obj: Booking):
        return (obj.household.user_id if obj.household_id else None), obj.district

    def _detail(self, booking_id: int) -> Response:
        return Response(StaffBookingDetailSerializer(self.get_queryset().get(pk=booking_id)).data)

    @extend_schema(
        summary="Approve or reject",
        description="A pending booking: approve (before it starts) or reject with a reason the resident "
        "reads. The resident is notified.",
        request=BookingDecisionSerializer,
        responses={
            200: StaffBookingDetailSerializer,
            400: error_response("reason_required, too_late (its time has passed), or invalid input."),
            409: error_response("invalid_transition: not pending."),
            **STAFF_REFUSALS,
        },
        tags=TAGS_STAFF,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        serializer = BookingDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking_decide(
            actor=request.user,
            booking_id=booking.pk,
            approve=serializer.validated_data["action"] == "approve",
            reason=serializer.validated_data.get("reason", ""),
            request=request,
        )
        return self._detail(booking.pk)

    @extend_schema(
        summary="Record attendance",
        description="Once the booking has started: attended or no_show (can be corrected later). Enough "
        "no-shows within the district's window ban the household from booking for a while.",
        request=AttendanceSerializer,
        responses={
            200: StaffBookingDetailSerializer,
            400: error_response("too_early (not started), staff_booking, or invalid input."),
            409: error_response("invalid_transition: not confirmed (e.g. cancelled)."),
            **STAFF_REFUSALS,
        },
        tags=TAGS_STAFF,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking_mark_attendance(
            actor=request.user,
            booking_id=booking.pk,
            attended=serializer.validated_data["outcome"] == "attended",
            request=request,
        )
        return self._detail(booking.pk)

    @extend_schema(
        summary="Cancel",
        description="Any booking that is not over (e.g. an emergency closure). The reason is required: "
        "the resident is told.",
        request=CancelReasonSerializer,
        responses={
            200: StaffBookingDetailSerializer,
            400: error_response("reason_required, or too_late (over: record attendance instead)."),
            409: error_response("invalid_transition: already cancelled or refused."),
            **STAFF_REFUSALS,
        },
        tags=TAGS_STAFF,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        serializer = CancelReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking_staff_cancel(
            actor=request.user,
            booking_id=booking.pk,
            reason=serializer.validated_data["reason"],
            request=request,
        )
        return self._detail(booking.pk)


# --- staff: series for regular programs ------------------------------------------------------------------


class StaffSeriesPermission(StaffModelPermission):
    """Reading needs view_bookingseries, creating add_bookingseries, cancelling change_bookingseries."""

    view_permission = "spaces.view_bookingseries"
    change_permission = "spaces.change_bookingseries"
    add_permission = "spaces.add_bookingseries"

    def has_permission(self, request: Request, view) -> bool:
        if getattr(view, "action", None) != "create":
            return super().has_permission(request, view)
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.role in STAFF_ROLES
            and user.has_perm(self.add_permission)
        )


class StaffSeriesFilter(django_filters.FilterSet):
    space = IdFilter(field_name="room__space_id", help_text="A space id.")
    room = IdFilter(field_name="room_id", help_text="A room id.")
    cancelled = django_filters.BooleanFilter(
        field_name="cancelled_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: cancelled series only.",
    )

    class Meta:
        model = BookingSeries
        fields: list[str] = []


SERIES_REFUSALS = {
    403: error_response("Not logged in, not staff, or without the permission."),
    404: error_response("Not a series of your district's spaces."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Booking series of your district's spaces",
        description="Staff bookings for regular programs, latest first.",
        responses={
            200: BookingSeriesSerializer(many=True),
            400: error_response("A filter value is not valid."),
            403: SERIES_REFUSALS[403],
        },
        tags=TAGS_STAFF,
    ),
    retrieve=extend_schema(
        summary="A booking series",
        responses={200: BookingSeriesSerializer, **SERIES_REFUSALS},
        tags=TAGS_STAFF,
    ),
)
class StaffBookingSeriesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffSeriesPermission]
    serializer_class = BookingSeriesSerializer
    filterset_class = StaffSeriesFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[BookingSeries]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return BookingSeries.objects.none()
        return (
            BookingSeries.objects.visible_to(self.request.user)
            .select_related("room__space", "program")
            .annotate(
                occurrence_count=Count("bookings", distinct=True),
                upcoming_count=Count(
                    "bookings",
                    filter=Q(bookings__status__in=UPCOMING_STATUSES, bookings__starts_at__gt=timezone.now()),
                    distinct=True,
                ),
            )
            .order_by("-starts_on", "-pk")
        )

    @extend_schema(
        summary="Book a room for a regular program",
        description=(
            "Books the room on every chosen weekday from starts_on to ends_on, at the same local times, "
            "all or nothing. When any date cannot be booked (closed, outside opening hours, taken), "
            "nothing is booked and the 409 answer lists every such date under `conflicts`. Staff "
            "bookings are confirmed at once and skip the residents' limits."
        ),
        request=SeriesCreateSerializer,
        responses={
            201: BookingSeriesSerializer,
            400: error_response(
                "Invalid input, or refused: title, weekdays, invalid_range, too_long (over a year), "
                "past, no_dates, slot_step, too_short, capacity, not_bookable; with `fields`. "
                "A program you may not edit (another district's, or a city-wide one)."
            ),
            403: SERIES_REFUSALS[403],
            404: error_response("Not a room of your district's spaces."),
            409: OpenApiResponse(
                SeriesConflictsErrorSerializer,
                description="conflicts: some dates cannot be booked; nothing was booked.",
            ),
        },
        tags=TAGS_STAFF,
    )
    def create(self, request: Request) -> Response:
        serializer = SeriesCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        room = Room.objects.filter(pk=data["room"], space__in=Space.objects.visible_to(request.user)).first()
        if room is None:
            raise NotFound
        program_id = data.get("program")
        # Sessions are added to the program: only one the staff member may edit (not a city-wide one).
        if program_id is not None and not programs_editable_by(request.user).filter(pk=program_id).exists():
            raise serializers.ValidationError({"program": [_("Choose a program of your district.")]})
        series = series_create(
            actor=request.user,
            room_id=room.pk,
            title=data["title"],
            weekdays=[int(day) for day in data["weekdays"]],
            start_time=data["start_time"],
            end_time=data["end_time"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            headcount=data["headcount"],
            program_id=program_id,
            request=request,
        )
        series = self.get_queryset().get(pk=series.pk)
        return Response(BookingSeriesSerializer(series).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a series",
        description="Cancels every occurrence that has not started yet; past ones stay as the record.",
        request=CancelReasonSerializer,
        responses={
            200: SeriesCancelResultSerializer,
            400: error_response("reason_required."),
            **SERIES_REFUSALS,
        },
        tags=TAGS_STAFF,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        series = self.get_object()
        serializer = CancelReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cancelled = series_cancel(
            actor=request.user,
            series_id=series.pk,
            reason=serializer.validated_data["reason"],
            request=request,
        )
        series = self.get_queryset().get(pk=series.pk)
        return Response(SeriesCancelResultSerializer({"cancelled": cancelled, "series": series}).data)
