"""Inquiries over the API for district staff: the open queue (soonest due first, names masked), a thread in
full (access-logged), answering and closing. Scoped: another district's inquiry is a 404."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import AccessLoggedRetrieveMixin, OldestFirstPagination, StaffModelPermission

from ..models import AnswerTemplate, Inquiry, InquiryStatus
from ..selectors import queue_for
from ..services import inquiry_answer, inquiry_close
from .serializers import (
    AnswerTemplateSerializer,
    InquiryAnswerSerializer,
    StaffInquiryDetailSerializer,
    StaffInquirySerializer,
)

STAFF_REFUSALS = {
    403: error_response("Not logged in, not staff, or without the permission."),
    404: error_response("Not an inquiry of your district."),
}
TAGS = ["inquiries-staff"]


class StaffInquiryPermission(StaffModelPermission):
    view_permission = "inquiries.view_inquiry"
    change_permission = "inquiries.change_inquiry"


class StaffQueueFilter(django_filters.FilterSet):
    due = django_filters.ChoiceFilter(
        choices=[("alerted", "alerted"), ("breached", "breached")],
        method="filter_due",
        help_text="alerted: waiting over 36 working hours; breached: over 48.",
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def filter_due(self, queryset, name, value):
        stamp = {"alerted": "alerted_at", "breached": "breached_at"}[value]
        return queryset.filter(status=InquiryStatus.OPEN, **{f"{stamp}__isnull": False})


class SoonestDueFirst(OldestFirstPagination):
    ordering = ("due_at", "id")


@extend_schema_view(
    list=extend_schema(
        summary="Open inquiry queue",
        description="Your district's open inquiries, the soonest due first; working_seconds_left is negative "
        "once the 48-hour promise is broken. Names are masked.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="An inquiry in full",
        description="Any status. Each opening is written to the access log.",
        responses={200: StaffInquiryDetailSerializer, **STAFF_REFUSALS},
        tags=TAGS,
    ),
)
class StaffInquiryViewSet(
    AccessLoggedRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [StaffInquiryPermission]
    filterset_class = StaffQueueFilter
    lookup_value_regex = r"\d+"
    access_log_action = "inquiries.inquiry.viewed"

    pagination_class = SoonestDueFirst

    def get_queryset(self) -> QuerySet[Inquiry]:
        if getattr(self, "swagger_fake_view", False):
            return Inquiry.objects.none()
        if self.action == "list":
            return queue_for(self.request.user)
        return (
            Inquiry.objects.visible_to(self.request.user)
            .select_related("district", "team", "user__household")
            .prefetch_related("messages")
        )

    def get_serializer_class(self):
        return StaffInquirySerializer if self.action == "list" else StaffInquiryDetailSerializer

    def access_log_subject(self, obj):
        return obj.user_id, obj.district

    def _detail(self, pk: int) -> Response:
        return Response(StaffInquiryDetailSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="Answer",
        description="The answer goes back on the channel the inquiry came from (web: the resident's "
        "channels; text message: a text to the number; email: an email). An answered thread takes a "
        "further answer (it stays answered); a closed one none.",
        request=InquiryAnswerSerializer,
        responses={
            200: StaffInquiryDetailSerializer,
            400: error_response("body_required, body_identifier …"),
            409: error_response("invalid_transition: the inquiry is closed."),
            **STAFF_REFUSALS,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def answer(self, request: Request, pk: str | None = None) -> Response:
        inquiry = self.get_object()
        serializer = InquiryAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inquiry_answer(
            staff=request.user,
            inquiry_id=inquiry.pk,
            body=serializer.validated_data["body"],
            template_id=serializer.validated_data.get("template"),
            request=request,
        )
        return self._detail(inquiry.pk)

    @extend_schema(
        summary="Close",
        request=None,
        responses={
            200: StaffInquiryDetailSerializer,
            409: error_response("invalid_transition."),
            **STAFF_REFUSALS,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request: Request, pk: str | None = None) -> Response:
        inquiry = self.get_object()
        inquiry_close(staff=request.user, inquiry_id=inquiry.pk, request=request)
        return self._detail(inquiry.pk)


class StaffTemplatePermission(StaffModelPermission):
    view_permission = "inquiries.view_answertemplate"
    change_permission = "inquiries.change_answertemplate"


@extend_schema_view(
    list=extend_schema(
        summary="Answer templates",
        description="Your district's templates and the city-wide ones, in use. Give one's id as `template` "
        "when answering.",
        tags=TAGS,
    )
)
class StaffAnswerTemplateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffTemplatePermission]
    serializer_class = AnswerTemplateSerializer
    filterset_class = None

    def get_queryset(self) -> QuerySet[AnswerTemplate]:
        if getattr(self, "swagger_fake_view", False):
            return AnswerTemplate.objects.none()
        mine = AnswerTemplate.objects.visible_to(self.request.user).values("pk")
        return (
            AnswerTemplate.objects.filter(is_active=True)
            .filter(Q(pk__in=mine) | Q(district__isnull=True))
            .order_by("topic", "title", "pk")
        )
