"""Community spaces over the API: anyone browses spaces and a room's free time; residents book, move,
cancel and export their own bookings; district staff run their district's bookings and program series.

Every change goes through spaces.services (the same functions as the pages and the admin), so the booking
rules, the no-overlap guarantee, the audit events and the notifications are theirs. This module checks
the shape of what is sent and turns the services' refusals into the API's error format, with every
failed rule under `fields` and the first one's code as `code`:

    {"error": {"status": 400, "code": "too_long", "message": "…", "fields": {"ends_at": ["…"]}}}

HTTP status: 409 when the time is taken (taken), a series has dates that cannot be booked (conflicts,
with a `conflicts` list), or the booking's status does not allow the change (invalid_transition); 404 for
someone else's booking or another district's; 400 for every other refusal.

Datetimes are ISO 8601 with Seoul's offset (+09:00); a datetime sent without an offset is Seoul time.
"""

from __future__ import annotations

import json
from datetime import time, timedelta
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import AccessLoggedRetrieveMixin, StaffModelPermission
from portal.errors import DomainError
from portal.roles import STAFF_ROLES
from portal.scoping_legacy import (
    booking_series_visible_to,
    bookings_visible_to,
    program_editable_by,
    programs_visible_to,
    spaces_visible_to,
)
from programs.services import ApplicationError

from .api_serializers import (
    AttendanceSerializer,
    AvailabilityQuerySerializer,
    BookingCreateSerializer,
    BookingDecisionSerializer,
    BookingSerializer,
    BookingSeriesSerializer,
    CancelReasonSerializer,
    RescheduleSerializer,
    RoomAvailabilitySerializer,
    SeriesCancelResultSerializer,
    SeriesConflictsErrorSerializer,
    SeriesCreateSerializer,
    SpaceDetailSerializer,
    SpaceListSerializer,
    StaffBookingDetailSerializer,
    StaffBookingSerializer,
    day_data,
)
from .availability import MAX_RANGE_DAYS, room_days
from .ical import calendar_for
from .models import (
    UPCOMING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    Room,
    Space,
)
from .rules import local_datetime, to_local
from .services import (
    BookingError,
    SeriesError,
    booking_cancel,
    booking_create,
    booking_decide,
    booking_mark_attendance,
    booking_reschedule,
    booking_staff_cancel,
    series_cancel,
    series_create,
)

# Refusals caused by the state of the room or the booking; anything else is a bad request.
CONFLICT_CODES = {"taken", "conflicts", "invalid_transition"}
TAGS_PUBLIC = ["spaces"]
TAGS_RESIDENT = ["spaces-bookings"]
TAGS_STAFF = ["spaces-staff"]


def refusal(error: ApplicationError) -> Response:
    """A service's refusal in the API's error format: the first failed rule's code, every failed rule's
    message under its field, and for a series the dates that cannot be booked."""
    code = status.HTTP_409_CONFLICT if error.code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST
    body: dict[str, Any] = {"status": code, "code": error.code, "message": error.message}
    fields = error.by_field() if isinstance(error, BookingError) else {}
    if not fields and error.code == "reason_required":
        fields = {"reason": [error.message]}
    if fields:
        body["fields"] = fields
    if isinstance(error, SeriesError) and error.code == "conflicts":
        body["conflicts"] = [
            {"date": conflict.day.isoformat(), "code": conflict.code, "message": str(conflict.message)}
            for conflict in error.conflicts
        ]
    return Response({"error": body}, status=code)


def _today():
    return to_local(timezone.now()).date()


# --- spaces and availability (public) -----------------------------------------------------------------


class SpaceFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(
        field_name="district__code", max_length=5, help_text="A district's code, e.g. 11140 (서울 중구)."
    )
    city = django_filters.CharFilter(
        field_name="district__city__code", max_length=2, help_text="A city's code, e.g. 11 (서울특별시)."
    )

    class Meta:
        model = Space
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Community spaces",
        description="Spaces open for bookings, with their rooms, amenities and accessibility features. "
        "Names are in the request's language (Accept-Language).",
        responses={200: SpaceListSerializer(many=True), 400: error_response("A filter value is not valid.")},
        tags=TAGS_PUBLIC,
    ),
    retrieve=extend_schema(
        summary="A community space",
        description="With its bookable rooms and their booking rules, opening hours (local time), "
        "upcoming closures and house rules.",
        responses={200: SpaceDetailSerializer, 404: error_response("No such space open for bookings.")},
        tags=TAGS_PUBLIC,
    ),
)
class SpaceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    filterset_class = SpaceFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Space]:
        rooms = Room.objects.filter(is_active=True).order_by("name", "pk")
        queryset = (
            Space.objects.filter(is_active=True)
            .select_related("district__city", "neighbourhood")
            .prefetch_related(Prefetch("rooms", queryset=rooms, to_attr="active_rooms"))
        )
        if self.action == "retrieve":
            upcoming = Closure.objects.filter(ends_on__gte=_today()).order_by("starts_on", "pk")
            queryset = queryset.prefetch_related(
                "opening_hours", Prefetch("closures", queryset=upcoming, to_attr="upcoming_closures")
            )
        return queryset.order_by("district__code", "name", "pk")

    def get_serializer_class(self):
        return SpaceListSerializer if self.action == "list" else SpaceDetailSerializer


class RoomViewSet(viewsets.GenericViewSet):
    """Only a room's availability: its details are part of its space's."""

    permission_classes = [permissions.AllowAny]
    filterset_class = None
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Room]:
        return Room.objects.filter(is_active=True, space__is_active=True).select_related("space")

    @extend_schema(
        summary="A room's free and taken time",
        description=(
            "Each local (Seoul) day from `from` to `to`, both included, at most "
            f"{MAX_RANGE_DAYS} days; by default this week, Monday to Sunday. For each day: its opening "
            "hours, the closure if the space or room is closed that day, the free time (consecutive free "
            "slots merged: what can be booked now, given the notice and how-far-ahead rules) and the taken "
            "time (pending or taken; who booked is never said). With ?slots=true, every slot and its state."
        ),
        parameters=[AvailabilityQuerySerializer],
        responses={
            200: RoomAvailabilitySerializer,
            400: error_response("A date is not valid, `to` is before `from`, or the range is too long."),
            404: error_response("No such bookable room."),
        },
        tags=TAGS_PUBLIC,
    )
    @action(detail=True, methods=["get"])
    def availability(self, request: Request, pk: str | None = None) -> Response:
        room = self.get_object()
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["from"], query.validated_data["to"]
        with_slots = query.validated_data["slots"]
        days = room_days(room, first, last)
        data = {
            "room": room,
            "space": room.space_id,
            "time_zone": settings.TIME_ZONE,
            "from": first,
            "to": last,
            "days": [day_data(day, with_slots=with_slots) for day in days],
        }
        return Response(RoomAvailabilitySerializer(data).data)


# --- residents' bookings -------------------------------------------------------------------------------


class ICalendarRenderer(BaseRenderer):
    """Lets a client ask for text/calendar; the .ics itself is returned as a plain HttpResponse."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()  # an error, in the API's error format


class MyBookingFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "upcoming"), ("past", "past")],
        method="filter_when",
        help_text="upcoming: pending or confirmed and not yet over; past: every other booking "
        "(over, cancelled or refused). Left out: all, the upcoming first.",
    )

    class Meta:
        model = Booking
        fields: list[str] = []

    def filter_when(self, queryset: QuerySet[Booking], name: str, value: str) -> QuerySet[Booking]:
        upcoming = _upcoming_q()
        return queryset.filter(upcoming) if value == "upcoming" else queryset.exclude(upcoming)


def _upcoming_q() -> Q:
    return Q(status__in=UPCOMING_STATUSES, ends_at__gt=timezone.now())


RESIDENT_REFUSALS = {403: error_response("Not logged in."), 404: error_response("Not one of your bookings.")}
BOOKING_REFUSAL = error_response(
    "Refused by a booking rule; `code` is the first failed rule's and `fields` lists every failed rule's "
    "message under its field (__all__ for the booking as a whole): invalid_range, not_bookable, slot_step, "
    "too_short, too_long, outside_hours, closed, past, too_late, too_far, headcount, capacity, purpose, "
    "suspended, too_many_upcoming, weekly_hours; profile_incomplete without a household profile; "
    "or invalid input."
)
TAKEN = error_response("taken: the time is already booked (the first failed rule).")


@extend_schema_view(
    list=extend_schema(
        summary="My bookings",
        description="The upcoming ones first (soonest first), then the others (latest first).",
        responses={
            200: BookingSerializer(many=True),
            400: error_response("A filter value is not valid."),
            403: error_response("Not logged in."),
        },
        tags=TAGS_RESIDENT,
    ),
    retrieve=extend_schema(
        summary="One of my bookings",
        responses={200: BookingSerializer, **RESIDENT_REFUSALS},
        tags=TAGS_RESIDENT,
    ),
)
class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The logged-in resident's own bookings. Another resident's booking is a 404."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BookingSerializer
    filterset_class = MyBookingFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Booking.objects.none()
        upcoming = _upcoming_q()
        return (
            Booking.objects.filter(household__user=self.request.user)
            .select_related("room__space")
            .annotate(
                is_over=Case(When(upcoming, then=Value(0)), default=Value(1), output_field=IntegerField()),
                upcoming_start=Case(When(upcoming, then=F("starts_at"))),
                past_start=Case(When(~upcoming, then=F("starts_at"))),
            )
            .order_by("is_over", F("upcoming_start").asc(), F("past_start").desc(), "pk")
        )

    def _detail(self, booking_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(BookingSerializer(self.get_queryset().get(pk=booking_id)).data, status=code)

    @extend_schema(
        summary="Book a room",
        description="Confirmed at once, or pending when the room's bookings need staff approval. "
        "Every rule is checked and every failure reported at once.",
        request=BookingCreateSerializer,
        responses={
            201: BookingSerializer,
            400: BOOKING_REFUSAL,
            403: error_response("Not logged in."),
            409: TAKEN,
        },
        tags=TAGS_RESIDENT,
    )
    def create(self, request: Request) -> Response:
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            booking = booking_create(
                user=request.user,
                room_id=data["room"].pk,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                headcount=data.get("headcount"),
                purpose=data.get("purpose", ""),
                request=request,
            )
        except DomainError as error:  # BookingError, or profile_incomplete
            return refusal(error)
        return self._detail(booking.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel",
        description="Until the room's cancellation deadline (a pending booking: until it starts).",
        request=None,
        responses={
            200: BookingSerializer,
            400: error_response("cancel_deadline: too late to cancel online; call the space."),
            409: error_response("invalid_transition: already cancelled, refused or over."),
            **RESIDENT_REFUSALS,
        },
        tags=TAGS_RESIDENT,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        try:
            booking_cancel(user=request.user, booking_id=booking.pk, request=request)
        except Booking.DoesNotExist as exc:
            raise NotFound from exc
        except BookingError as error:
            return refusal(error)
        return self._detail(booking.pk)

    @extend_schema(
        summary="Move to another time",
        description="Same room, until the cancellation deadline; every booking rule applies again. The "
        "booking's own current time never counts as taken, so it may move onto a time overlapping "
        "itself. In a room needing approval the booking is pending again.",
        request=RescheduleSerializer,
        responses={200: BookingSerializer, 400: BOOKING_REFUSAL, 409: TAKEN, **RESIDENT_REFUSALS},
        tags=TAGS_RESIDENT,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reschedule(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        serializer = RescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            booking_reschedule(
                actor=request.user,
                booking_id=booking.pk,
                starts_at=serializer.validated_data["starts_at"],
                ends_at=serializer.validated_data["ends_at"],
                request=request,
            )
        except Booking.DoesNotExist as exc:
            raise NotFound from exc
        except BookingError as error:
            return refusal(error)
        return self._detail(booking.pk)

    @extend_schema(
        summary="The booking as an iCalendar file",
        description="An .ics file (RFC 5545) to add to a calendar app. Times are in UTC.",
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY, description="The .ics file."),
            **RESIDENT_REFUSALS,
        },
        tags=TAGS_RESIDENT,
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        renderer_classes=[JSONRenderer, ICalendarRenderer],
    )
    def ics(self, request: Request, pk: str | None = None) -> HttpResponse:
        booking = self.get_object()
        content = calendar_for([booking], name=f"{booking.room.space.display_name} · {booking.reference}")
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
        return response


# --- staff: bookings ----------------------------------------------------------------------------------


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
    space = django_filters.NumberFilter(field_name="room__space_id", help_text="A space id.")
    room = django_filters.NumberFilter(field_name="room_id", help_text="A room id.")
    series = django_filters.NumberFilter(field_name="series_id", help_text="A booking series id.")
    starts_from = django_filters.DateFilter(
        method="filter_starts_from", help_text="Starting on or after this day (YYYY-MM-DD, Seoul)."
    )
    starts_until = django_filters.DateFilter(
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
        return queryset.filter(starts_at__gte=local_datetime(value, time.min))

    def filter_starts_until(self, queryset, name, value):
        return queryset.filter(starts_at__lt=local_datetime(value + timedelta(days=1), time.min))

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
            bookings_visible_to(self.request.user)
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
        try:
            booking_decide(
                actor=request.user,
                booking_id=booking.pk,
                approve=serializer.validated_data["action"] == "approve",
                reason=serializer.validated_data.get("reason", ""),
                request=request,
            )
        except BookingError as error:
            return refusal(error)
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
        try:
            booking_mark_attendance(
                actor=request.user,
                booking_id=booking.pk,
                attended=serializer.validated_data["outcome"] == "attended",
                request=request,
            )
        except BookingError as error:
            return refusal(error)
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
        try:
            booking_staff_cancel(
                actor=request.user,
                booking_id=booking.pk,
                reason=serializer.validated_data["reason"],
                request=request,
            )
        except BookingError as error:
            return refusal(error)
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
    space = django_filters.NumberFilter(field_name="room__space_id", help_text="A space id.")
    room = django_filters.NumberFilter(field_name="room_id", help_text="A room id.")
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
            booking_series_visible_to(self.request.user)
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
        room = Room.objects.filter(pk=data["room"], space__in=spaces_visible_to(request.user)).first()
        if room is None:
            raise NotFound
        program_id = data.get("program")
        if program_id is not None:
            # Sessions are added to the program: only one the staff member may edit (not a city-wide one).
            program = programs_visible_to(request.user).filter(pk=program_id).first()
            if program is None or not program_editable_by(request.user, program):
                raise serializers.ValidationError({"program": [_("Choose a program of your district.")]})
        try:
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
        except BookingError as error:  # SeriesError too
            return refusal(error)
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
        try:
            cancelled = series_cancel(
                actor=request.user,
                series_id=series.pk,
                reason=serializer.validated_data["reason"],
                request=request,
            )
        except BookingError as error:
            return refusal(error)
        series = self.get_queryset().get(pk=series.pk)
        return Response(SeriesCancelResultSerializer({"cancelled": cancelled, "series": series}).data)


__all__ = [
    "BookingViewSet",
    "RoomViewSet",
    "SpaceViewSet",
    "StaffBookingSeriesViewSet",
    "StaffBookingViewSet",
]
