"""Applications over the API: residents apply and follow their own; staff review their district's.

Every change goes through programs.services (the same functions as the web pages and the admin), so
the transition table, the capacity lock, the audit events and the notifications are theirs. This module
only checks the shape of what is sent; a service's refusal (an ApplicationError) propagates to the API's
one exception handler (portal.api.errors), which answers in the error format:

    {"error": {"status": 400, "code": "duplicate", "message": "…", "fields": {"answers.q12": ["…"]}}}

A refusal's `code` is the service's (duplicate, closed, profile_incomplete, incomplete, invalid_file,
invalid_transition, full, reason_required …); its HTTP status is ApplicationError's: 409 when the
application's state is what stands in the way, 400 otherwise.

Applying, in two shapes:

* no file questions: ``POST /applications/`` with the program and the answers — submitted at once;
* with file questions: ``POST /applications/drafts/`` (saves the answers so far and returns the draft's
  id; posting again for the same program updates the same draft), ``POST /applications/{id}/documents/``
  once per file, then ``POST /applications/{id}/submit/``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import AccessLoggedRetrieveMixin, OldestFirstPagination, StaffModelPermission

from ..filters import MyApplicationFilter, StaffApplicationFilter
from ..models import Application, ApplicationStatus, Program
from ..services import (
    ApplicationError,
    application_cancel,
    application_decide,
    application_draft_save,
    application_provide_info,
    application_submit,
    document_attach,
)
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationListSerializer,
    DecisionSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    ReplySerializer,
    RespondSerializer,
    RespondUploadSerializer,
    StaffApplicationDetailSerializer,
    StaffApplicationListSerializer,
    SubmitSerializer,
    answered,
    respond_payload,
)

# --- residents ---------------------------------------------------------------------------------------

RESIDENT_REFUSALS = {
    400: error_response("Invalid input, or refused: duplicate, closed, profile_incomplete, incomplete."),
    403: error_response("Not logged in."),
}


@extend_schema_view(
    list=extend_schema(
        summary="My applications",
        description="Newest first.",
        responses={200: ApplicationListSerializer(many=True), 403: error_response("Not logged in.")},
    ),
    retrieve=extend_schema(
        summary="One of my applications",
        responses={200: ApplicationDetailSerializer, 404: error_response("Not one of yours.")},
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The logged-in resident's own applications. Another resident's application is a 404."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = MyApplicationFilter

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Application.objects.none()
        queryset = Application.objects.filter(household__user=self.request.user).select_related("program")
        if self.action != "list":
            queryset = queryset.prefetch_related("documents", "information_requests__documents")
        return queryset.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else ApplicationDetailSerializer

    def _detail(self, application_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        application = self.get_queryset().get(pk=application_id)
        return Response(ApplicationDetailSerializer(application).data, status=code)

    def _submit(self, program: Program, answers: dict | None, *, code: int) -> Response:
        # An "incomplete" refusal lists each unanswered question under `fields` (ApplicationError.by_field).
        application = application_submit(
            user=self.request.user, program=program, answers=answers, request=self.request
        )
        return self._detail(application.pk, code=code)

    @extend_schema(
        summary="Apply",
        description=(
            "Submits an application in one step (programs without file questions). If you saved a "
            "draft for the program, it is the one submitted, with its documents."
        ),
        request=ApplicationCreateSerializer,
        responses={201: ApplicationDetailSerializer, **RESIDENT_REFUSALS},
    )
    def create(self, request: Request) -> Response:
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answers = answered(data["answers"]) if "answers" in data else None
        return self._submit(data["program"], answers, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Save a draft",
        description=(
            "Keeps the answers so far without submitting (nothing is required yet, but each answer "
            "must fit its question). One draft per program: posting again replaces its answers "
            "(left out, they stay as saved). "
            "Then upload documents to /applications/{id}/documents/ and submit with "
            "/applications/{id}/submit/."
        ),
        request=ApplicationCreateSerializer,
        responses={
            201: ApplicationDetailSerializer,
            200: OpenApiResponse(ApplicationDetailSerializer, description="The existing draft, updated."),
            **RESIDENT_REFUSALS,
        },
    )
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def drafts(self, request: Request) -> Response:
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        program = serializer.validated_data["program"]
        existing = self.get_queryset().filter(program=program, status=ApplicationStatus.DRAFT).first()
        answers = serializer.validated_data.get("answers")
        if answers is None:
            answers = existing.answers if existing else {}
        draft = application_draft_save(user=request.user, program=program, answers=answered(answers))
        return self._detail(draft.pk, code=status.HTTP_200_OK if existing else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit a draft",
        request=SubmitSerializer,
        responses={
            200: ApplicationDetailSerializer,
            409: error_response("invalid_transition: not a draft."),
            **RESIDENT_REFUSALS,
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        if application.status != ApplicationStatus.DRAFT:
            # Checked here because the service submits "the household's draft for the program":
            # called for a cancelled application it would start a new one.
            raise ApplicationError(
                "invalid_transition", _("Only a draft can be submitted: this one was sent.")
            )
        serializer = SubmitSerializer(data=request.data, context={"program": application.program})
        serializer.is_valid(raise_exception=True)
        answers = serializer.validated_data.get("answers")
        return self._submit(
            application.program, answered(answers) if answers is not None else None, code=status.HTTP_200_OK
        )

    @extend_schema(
        summary="Cancel",
        description="Withdraws an application that is not decided, or gives up an approved place. "
        "A draft is discarded (204).",
        request=None,
        responses={
            200: ApplicationDetailSerializer,
            204: OpenApiResponse(description="The draft was discarded."),
            403: error_response("Not logged in."),
            404: error_response("Not one of yours."),
            409: error_response("invalid_transition: already finished."),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        was_draft = application.status == ApplicationStatus.DRAFT
        application_cancel(user=request.user, application=application, request=request)
        if was_draft:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._detail(application.pk)

    @extend_schema(
        summary="Upload a document",
        description="Allowed while the application is a draft or more information is requested. "
        "A new upload for the same question replaces the previous one.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: DocumentSerializer,
            400: error_response("invalid_file (with the reason), invalid_question, or a missing file."),
            403: error_response("Not logged in."),
            404: error_response("Not one of yours."),
            409: error_response("locked: the application no longer takes documents."),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser], filterset_class=None)
    def documents(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # invalid_file and invalid_question refusals name their field ("file", "question").
        document = document_attach(
            user=request.user,
            application=application,
            question=serializer.validated_data.get("question"),
            upload=serializer.validated_data["file"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer a request for information",
        description=(
            "Replies to the district's open question (information_request in the application) and "
            "sends the application back to review; the caseworker who asked is told. A reply says "
            "something: a text, documents (multipart, or uploaded to documents/ first) or changed "
            "answers; an empty one is refused (empty_reply). As JSON: reply and answers. As "
            "multipart/form-data: reply, answers as one JSON-encoded part, and one `files` part per "
            "document (documents that answer no particular question)."
        ),
        request={"application/json": RespondSerializer, "multipart/form-data": RespondUploadSerializer},
        responses={
            200: ApplicationDetailSerializer,
            400: error_response(
                "Invalid answers, a refused reply text (too long, a registration number), a refused "
                "file (invalid_file), or empty_reply."
            ),
            403: error_response("Not logged in."),
            404: error_response("Not one of yours."),
            409: error_response("invalid_transition: no information was requested."),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def respond(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = ReplySerializer(
            data=respond_payload(request.data, request.FILES), context={"program": application.program}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The service stores the answers it is given: merge, so that a reply need not repeat them all.
        answers = answered({**application.answers, **data["answers"]}) if "answers" in data else None
        application_provide_info(
            user=request.user,
            application=application,
            reply=data.get("reply", ""),
            answers=answers,
            uploads=data.get("files", []),
            request=request,
        )
        return self._detail(application.pk)


# --- staff -------------------------------------------------------------------------------------------


class StaffApplicationPermission(StaffModelPermission):
    view_permission = "programs.view_application"
    change_permission = "programs.change_application"


STAFF_REFUSALS = {
    403: error_response("Not logged in, not staff, or without the permission."),
    404: error_response("Not an application of your district."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Review queue",
        description="Your district's submitted applications, oldest first. Names are masked.",
        responses={
            200: StaffApplicationListSerializer(many=True),
            400: error_response("A filter value is not valid (e.g. another district's program)."),
            403: error_response("Not logged in, not staff, or without the permission."),
        },
    ),
    retrieve=extend_schema(
        summary="An application in full",
        description="With the applicant's name and contact. Each opening is written to the access log.",
        responses={200: StaffApplicationDetailSerializer, **STAFF_REFUSALS},
    ),
)
class StaffApplicationViewSet(
    AccessLoggedRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [StaffApplicationPermission]
    filterset_class = StaffApplicationFilter
    pagination_class = OldestFirstPagination

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Application.objects.none()
        queryset = Application.objects.visible_to(self.request.user).exclude(status=ApplicationStatus.DRAFT)
        if self.action == "list":
            # The list shows neither answers nor eligibility details: leave those columns behind.
            return queryset.select_related("program", "household", "district").defer(
                "answers", "eligibility_lines"
            )
        return queryset.select_related(
            "program", "household__user", "district", "decided_by"
        ).prefetch_related(
            "documents", "notes__author", "information_requests__asked_by", "information_requests__documents"
        )

    def get_serializer_class(self):
        return StaffApplicationListSerializer if self.action == "list" else StaffApplicationDetailSerializer

    access_log_action = "programs.application.viewed"

    def access_log_subject(self, obj):
        return obj.household.user_id, obj.district

    @extend_schema(
        summary="Decide",
        description=(
            "approve, reject (reason required), waitlist, request_info (reason required), review or "
            "complete — refused when the application's status does not allow it."
        ),
        request=DecisionSerializer,
        responses={
            200: StaffApplicationDetailSerializer,
            400: error_response("reason_required, or an unknown action."),
            409: error_response("invalid_transition, or full (no place left to approve)."),
            **STAFF_REFUSALS,
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A reason_required refusal names its field ("reason").
        application_decide(
            application=application,
            action=serializer.validated_data["action"],
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
            request=request,
        )
        application = self.get_queryset().get(pk=application.pk)
        return Response(StaffApplicationDetailSerializer(application).data)
