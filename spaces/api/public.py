"""Community spaces over the API, for anyone: the spaces open for bookings and a room's free time."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.timeutils import local_today

from ..availability import MAX_RANGE_DAYS, room_days
from ..models import Closure, Room, Space
from .serializers import (
    AvailabilityQuerySerializer,
    RoomAvailabilitySerializer,
    SpaceDetailSerializer,
    SpaceListSerializer,
    day_data,
)

TAGS_PUBLIC = ["spaces"]


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
            upcoming = Closure.objects.filter(ends_on__gte=local_today()).order_by("starts_on", "pk")
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
