"""Inquiries over the API for residents: their own threads, asking, following up and rating.
Refusals (InquiryError) are answered by portal.api.errors in the house error shape."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response

from ..models import Inquiry
from ..selectors import inquiries_of
from ..services import inquiry_follow_up, inquiry_rate, inquiry_submit
from .serializers import (
    FollowUpSerializer,
    InquiryCreateSerializer,
    InquiryDetailSerializer,
    InquirySerializer,
    RatingSerializer,
)

REFUSALS = {403: error_response("Not logged in."), 404: error_response("Not one of yours.")}
TAGS = ["inquiries"]


@extend_schema_view(
    list=extend_schema(summary="My inquiries", tags=TAGS),
    retrieve=extend_schema(
        summary="One of my inquiries, with its messages",
        responses={200: InquiryDetailSerializer, **REFUSALS},
        tags=TAGS,
    ),
)
class InquiryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Inquiry]:
        if getattr(self, "swagger_fake_view", False):
            return Inquiry.objects.none()
        queryset = inquiries_of(self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related("messages")
        return queryset.order_by("-received_at", "-id")

    def get_serializer_class(self):
        return InquirySerializer if self.action == "list" else InquiryDetailSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(InquiryDetailSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        summary="Ask a question or report a problem",
        description="Optionally about one of your own open applications, bookings, kit requests or parcels. "
        "due_at in the answer: when an answer is expected (48 working hours).",
        request=InquiryCreateSerializer,
        responses={
            201: InquiryDetailSerializer,
            400: error_response(
                "Invalid input: title_required, body_identifier, invalid_subject, no_household …"
            ),
            403: error_response("Not logged in."),
        },
        tags=TAGS,
    )
    def create(self, request: Request) -> Response:
        serializer = InquiryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inquiry = inquiry_submit(
            user=request.user,
            title=data["title"],
            body=data["body"],
            topic=data["topic"],
            subject_kind=data.get("subject_kind") or "",
            subject_id=data.get("subject_id"),
            request=request,
        )
        return self._detail(inquiry.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add to the thread",
        description="After an answer, a follow-up opens the inquiry again with a new 48-hour promise.",
        request=FollowUpSerializer,
        responses={
            200: InquiryDetailSerializer,
            400: error_response("body_required, body_identifier …"),
            409: error_response("invalid_transition: the inquiry is closed."),
            **REFUSALS,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str | None = None) -> Response:
        inquiry = self.get_object()
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inquiry_follow_up(
            user=request.user, inquiry_id=inquiry.pk, body=serializer.validated_data["body"], request=request
        )
        return self._detail(inquiry.pk)

    @extend_schema(
        summary="Rate the answer (1–5)",
        request=RatingSerializer,
        responses={
            200: InquiryDetailSerializer,
            400: error_response("invalid_rating …"),
            409: error_response("already_rated, or invalid_transition: no answer yet."),
            **REFUSALS,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        inquiry = self.get_object()
        serializer = RatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inquiry_rate(
            user=request.user,
            inquiry_id=inquiry.pk,
            rating=serializer.validated_data["rating"],
            comment=serializer.validated_data["comment"],
            request=request,
        )
        return self._detail(inquiry.pk)
