"""A resident's own bookings over the API: book, move, cancel, list and export as .ics. Another
resident's booking is a 404. Refusals propagate as BookingError to the API's one exception handler."""

from __future__ import annotations

import json

import django_filters
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response

from ..ical import calendar_for
from ..models import UPCOMING_STATUSES, Booking
from ..services import booking_cancel, booking_create, booking_reschedule
from .serializers import BookingCreateSerializer, BookingSerializer, RescheduleSerializer

TAGS_RESIDENT = ["spaces-bookings"]


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
        booking = booking_create(
            user=request.user,
            room_id=data["room"].pk,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            headcount=data.get("headcount"),
            purpose=data.get("purpose", ""),
            request=request,
        )
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
