"""Care over the API. Residents: counselling services and their free slots, their appointments (book,
cancel, move), their check-ins (answer, pause, resume, withdraw). Staff: the district's open check-in
tasks, oldest first, and recording an outcome. Every change goes through care.services; a refusal
propagates to portal.api.errors, which answers in the house error format."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from households.selectors import household_for
from portal.api.errors import error_response
from portal.api.staff import OldestFirstPagination, StaffModelPermission
from portal.timeutils import local_today

from ..models import Appointment, CheckIn, CheckInTask, CounsellingService, Enrolment
from ..services.appointments import appointment_book, appointment_cancel, appointment_move
from ..services.checkins import (
    checkin_answer,
    enrolment_pause,
    enrolment_resume,
    enrolment_withdraw,
    task_record_outcome,
)
from ..services.errors import CareError
from ..services.slots import free_slots
from .serializers import (
    AnswerSerializer,
    AppointmentCreateSerializer,
    AppointmentMoveSerializer,
    AppointmentSerializer,
    CheckInSerializer,
    EnrolmentSerializer,
    OutcomeSerializer,
    PauseSerializer,
    ServiceSerializer,
    SlotQuerySerializer,
    SlotSerializer,
    TaskSerializer,
)

MINE = {403: error_response("Not logged in."), 404: error_response("Not one of yours.")}


@extend_schema_view(
    list=extend_schema(
        summary="Counselling services",
        description="Those of your district (all when you have no profile).",
        tags=["care"],
    ),
    retrieve=extend_schema(
        summary="One counselling service",
        responses={200: ServiceSerializer, 404: error_response("No such service.")},
        tags=["care"],
    ),
)
class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = ServiceSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[CounsellingService]:
        rows = (
            CounsellingService.objects.filter(is_active=True)
            .select_related("district")
            .order_by("district_id", "name", "id")
        )
        household = household_for(self.request.user) if self.request.user.is_authenticated else None
        return rows.filter(district_id=household.district_id) if household else rows

    @extend_schema(
        summary="Free slots",
        parameters=[SlotQuerySerializer],
        responses={
            200: SlotSerializer(many=True),
            400: error_response("Invalid dates."),
            404: error_response("No such service."),
        },
        tags=["care"],
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def slots(self, request: Request, pk: str | None = None) -> Response:
        service = self.get_object()
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        first = query.validated_data.get("start") or local_today()
        last = first + timedelta(days=query.validated_data["days"] - 1)
        return Response(SlotSerializer(free_slots(service=service, first=first, last=last), many=True).data)


@extend_schema_view(
    list=extend_schema(summary="My counselling appointments", tags=["care"]),
    retrieve=extend_schema(
        summary="One of my appointments", responses={200: AppointmentSerializer, **MINE}, tags=["care"]
    ),
)
class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AppointmentSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Appointment]:
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        return (
            Appointment.objects.filter(household__user=self.request.user)
            .select_related("service")
            .order_by("-starts_at", "-id")
        )

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(AppointmentSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        summary="Book a free slot",
        description="crisis_lines is non-empty when the intake signals a crisis: show them at once.",
        request=AppointmentCreateSerializer,
        responses={
            201: AppointmentSerializer,
            400: error_response("Invalid input, or refused: no profile, mode …"),
            # The house error shape (ApiError); with code banned it also carries `until`, the ban's end
            # as an ISO date-time (an extra member, which the shape allows).
            403: error_response(
                "Not logged in; or code banned: repeated no-shows ban booking counselling in the district "
                "for a while (message: why and until when, in the request's language; until: the ban's end)."
            ),
            404: error_response("No such service or counsellor."),
            409: error_response("The slot was taken meanwhile."),
        },
        tags=["care"],
    )
    def create(self, request: Request) -> Response:
        serializer = AppointmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        appointment = appointment_book(
            user=request.user,
            service_id=data["service"],
            counsellor_id=data["counsellor"],
            starts_at=data["starts_at"],
            mode=data["mode"],
            topic=data["topic"],
            intake=data.get("intake", ""),
            urgency=data["urgency"],
            preferred_contact=data["preferred_contact"],
            request=request,
        )
        return self._detail(appointment.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel",
        request=None,
        responses={
            200: AppointmentSerializer,
            400: error_response("Past the deadline."),
            409: error_response("Not booked."),
            **MINE,
        },
        tags=["care"],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        appointment_cancel(user=request.user, appointment_id=appointment.pk, request=request)
        return self._detail(appointment.pk)

    @extend_schema(
        summary="Move to another free slot of the same counsellor",
        request=AppointmentMoveSerializer,
        responses={
            200: AppointmentSerializer,
            400: error_response("Past the deadline or invalid."),
            409: error_response("Taken."),
            **MINE,
        },
        tags=["care"],
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        serializer = AppointmentMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment_move(
            user=request.user,
            appointment_id=appointment.pk,
            starts_at=serializer.validated_data["starts_at"],
            mode=serializer.validated_data.get("mode"),
            request=request,
        )
        return self._detail(appointment.pk)


@extend_schema_view(
    list=extend_schema(summary="My wellbeing check-ins", tags=["care"]),
    retrieve=extend_schema(
        summary="One of my check-ins", responses={200: CheckInSerializer, **MINE}, tags=["care"]
    ),
)
class CheckInViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CheckInSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[CheckIn]:
        if getattr(self, "swagger_fake_view", False):
            return CheckIn.objects.none()
        return CheckIn.objects.filter(enrolment__household__user=self.request.user).order_by(
            "-scheduled_at", "-id"
        )

    @extend_schema(
        summary="Answer a check-in",
        request=AnswerSerializer,
        responses={
            200: CheckInSerializer,
            400: error_response("Invalid answer."),
            409: error_response("Already answered."),
            **MINE,
        },
        tags=["care"],
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        checkin = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkin_answer(
            user=request.user,
            checkin_id=checkin.pk,
            answer=serializer.validated_data["answer"],
            request=request,
        )
        return Response(CheckInSerializer(self.get_queryset().get(pk=checkin.pk)).data)

    def _enrolment(self, request: Request) -> Response:
        enrolment = Enrolment.objects.filter(household__user=request.user).order_by("-created_at").first()
        if enrolment is None:
            raise CareError("not_found", _("You are not enrolled in check-ins."))
        return Response(EnrolmentSerializer(enrolment).data)

    @extend_schema(
        summary="Pause check-ins (travel, hospital)",
        request=PauseSerializer,
        responses={200: EnrolmentSerializer, 400: error_response("Invalid dates."), **MINE},
        tags=["care"],
    )
    @action(detail=False, methods=["post"])
    def pause(self, request: Request) -> Response:
        serializer = PauseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment_pause(user=request.user, request=request, **serializer.validated_data)
        return self._enrolment(request)

    @extend_schema(
        summary="Resume check-ins", request=None, responses={200: EnrolmentSerializer, **MINE}, tags=["care"]
    )
    @action(detail=False, methods=["post"])
    def resume(self, request: Request) -> Response:
        enrolment_resume(user=request.user, request=request)
        return self._enrolment(request)

    @extend_schema(
        summary="Leave the check-ins",
        request=None,
        responses={200: EnrolmentSerializer, **MINE},
        tags=["care"],
    )
    @action(detail=False, methods=["post"])
    def withdraw(self, request: Request) -> Response:
        enrolment_withdraw(user=request.user, request=request)
        return self._enrolment(request)


class TaskPermission(StaffModelPermission):
    view_permission = "care.view_checkintask"
    change_permission = "care.change_checkintask"


class TaskPagination(OldestFirstPagination):
    ordering = ("created_at", "id")


@extend_schema_view(
    list=extend_schema(
        summary="Open check-in tasks of my district, oldest first",
        parameters=[OpenApiParameter("neighbourhood", int, description="Only this 행정동 (its id).")],
        tags=["care staff"],
    ),
    retrieve=extend_schema(
        summary="One check-in task",
        responses={
            200: TaskSerializer,
            403: error_response("Not staff."),
            404: error_response("Not in your district."),
        },
        tags=["care staff"],
    ),
)
class StaffTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [TaskPermission]
    serializer_class = TaskSerializer
    pagination_class = TaskPagination
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[CheckInTask]:
        if getattr(self, "swagger_fake_view", False):
            return CheckInTask.objects.none()
        rows = (
            CheckInTask.objects.visible_to(self.request.user)
            .filter(closed_at__isnull=True)
            .select_related("neighbourhood", "checkin__enrolment__household")
        )
        neighbourhood = self.request.query_params.get("neighbourhood", "")
        if neighbourhood.isdigit() and len(neighbourhood) < 12:
            rows = rows.filter(neighbourhood_id=int(neighbourhood))
        return rows

    @extend_schema(
        summary="Record the call's or visit's outcome",
        request=OutcomeSerializer,
        responses={
            200: TaskSerializer,
            400: error_response("Invalid outcome."),
            403: error_response("Not staff."),
            404: error_response("Not in your district."),
            409: error_response("Already closed."),
        },
        tags=["care staff"],
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task_record_outcome(
            actor=request.user,
            task_id=task.pk,
            outcome=serializer.validated_data["outcome"],
            note=serializer.validated_data.get("note", ""),
            request=request,
        )
        return Response(
            TaskSerializer(
                CheckInTask.objects.select_related("neighbourhood", "checkin__enrolment__household").get(
                    pk=task.pk
                )
            ).data
        )
