"""Applications over the API: residents apply and follow their own; staff review their district's.

Every change goes through programs.services (the same functions as the web pages and the admin), so
the transition table, the capacity lock, the audit events and the notifications are theirs. This module
only checks the shape of what is sent and turns the services' refusals into the API's error format:

    {"error": {"status": 400, "code": "duplicate", "message": "…", "fields": {"answers.q12": ["…"]}}}

A refusal's `code` is the service's (duplicate, closed, profile_incomplete, incomplete, invalid_file,
invalid_transition, full, reason_required …); its HTTP status is 409 when the application's state is
what stands in the way, 400 otherwise.

Applying, in two shapes:

* no file questions: ``POST /applications/`` with the program and the answers — submitted at once;
* with file questions: ``POST /applications/drafts/`` (saves the answers so far and returns the draft's
  id; posting again for the same program updates the same draft), ``POST /applications/{id}/documents/``
  once per file, then ``POST /applications/{id}/submit/``.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.fields import LocalizedField
from portal.api.staff import AccessLoggedRetrieveMixin, OldestFirstPagination, StaffModelPermission
from portal.errors import DomainError
from portal.masking import mask_name
from portal.scoping_legacy import applications_visible_to

from .application_filters import MyApplicationFilter, StaffApplicationFilter
from .models import (
    Application,
    ApplicationDocument,
    ApplicationNote,
    ApplicationStatus,
    Program,
    ProgramQuestion,
    QuestionKind,
)
from .selectors import public_programs
from .services import (
    ApplicationError,
    answers_problems,
    application_cancel,
    application_decide,
    application_draft_save,
    application_provide_info,
    application_submit,
    document_attach,
)
from .services.applications import CANCELLABLE, STAFF_ACTIONS, TRANSITIONS

MAX_TEXT_ANSWER = 2000
# Refusals caused by the application's current state; anything else is a bad request.
CONFLICT_CODES = {"invalid_transition", "full", "locked"}


# --- the error format --------------------------------------------------------------------------------


def refusal(error: ApplicationError, *, fields: dict[str, list[str]] | None = None) -> Response:
    """A service's refusal in the API's error format, with the service's code and message."""
    if error.code == "not_found":
        code = status.HTTP_404_NOT_FOUND
    elif error.code in CONFLICT_CODES:
        code = status.HTTP_409_CONFLICT
    else:
        code = status.HTTP_400_BAD_REQUEST
    body: dict[str, Any] = {"status": code, "code": error.code, "message": error.message}
    if fields:
        body["fields"] = fields
    return Response({"error": body}, status=code)


# --- answers -----------------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}],
            "nullable": True,
        },
        "description": (
            'Answers by question, keyed "q<question id>": text → string, number → number, '
            "date → string YYYY-MM-DD, choice → one of the question's choices, yes_no → true/false. "
            "File questions are answered by uploading to documents/. null or an empty string leaves "
            "a question unanswered."
        ),
        "example": {"q12": "오후", "q13": 3, "q14": "2026-03-01", "q15": True},
    }
)
class AnswersField(serializers.DictField):
    pass


def _clean_answer(question: ProgramQuestion, value: Any) -> Any:
    """The stored form of one answer, or ValueError with the message for the resident."""
    kind = question.kind
    if kind == QuestionKind.TEXT:
        if not isinstance(value, str):
            raise ValueError(_("Enter text."))
        if len(value) > MAX_TEXT_ANSWER:
            raise ValueError(_("Keep the answer under %(max)s characters.") % {"max": MAX_TEXT_ANSWER})
        return value.strip()
    if kind == QuestionKind.NUMBER:
        # bool is an int in Python, but `true` is not a number to anyone filling in a form.
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(_("Enter a number."))
        return int(value) if float(value).is_integer() else value
    if kind == QuestionKind.DATE:
        try:
            day = parse_date(value) if isinstance(value, str) else None
        except ValueError:  # well formed but impossible, e.g. 2026-02-30
            day = None
        if day is None:
            raise ValueError(_("Enter a date as YYYY-MM-DD."))
        return day.isoformat()
    if kind == QuestionKind.CHOICE:
        if not isinstance(value, str) or value not in question.choices:
            raise ValueError(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(map(str, question.choices))}
            )
        return value
    if kind == QuestionKind.YES_NO:
        if not isinstance(value, bool):
            raise ValueError(_("Answer true or false."))
        return value
    raise ValueError(_("This question takes a document: upload it to the application's documents/."))


def clean_answers(program: Program, answers: dict[str, Any]) -> dict[str, Any]:
    """Check each answer against its question's kind; unanswered ones (null, "") map to None.

    Whether the required questions are answered is the service's to judge (answers_problems), at
    submission: a draft may be incomplete.
    """
    questions = {question.field_name: question for question in program.questions.all()}
    cleaned: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            problems[f"answers.{key}"] = [_("This program has no such question.")]
        elif value is None or value == "":
            cleaned[key] = None
        else:
            try:
                cleaned[key] = _clean_answer(question, value)
            except ValueError as exc:
                problems[f"answers.{key}"] = [str(exc)]
    if problems:
        raise serializers.ValidationError(problems)
    return cleaned


def _answered(answers: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answers.items() if value is not None}


class AnswersSerializer(serializers.Serializer):
    """Answers to the questions of the program in context["program"]."""

    answers = AnswersField(required=False)

    def _program(self, attrs: dict) -> Program:
        return self.context["program"]

    def validate(self, attrs: dict) -> dict:
        if "answers" in attrs:
            attrs["answers"] = clean_answers(self._program(attrs), attrs["answers"])
        return attrs


class ApplicationCreateSerializer(AnswersSerializer):
    program = serializers.PrimaryKeyRelatedField(
        queryset=public_programs(), help_text="The id of the program applied to."
    )
    answers = AnswersField(
        required=False,
        help_text="Left out: the answers of your saved draft for this program, if you have one.",
    )

    def _program(self, attrs: dict) -> Program:
        return attrs["program"]


class SubmitSerializer(AnswersSerializer):
    answers = AnswersField(
        required=False, help_text="Replaces the draft's answers; leave out to submit them as saved."
    )


class RespondSerializer(AnswersSerializer):
    answers = AnswersField(
        required=False,
        help_text="Only the answers to change; the others stay. null clears an answer. "
        "Upload requested documents to documents/ first.",
    )


class DocumentUploadSerializer(serializers.Serializer):
    # Empty files reach the service, which refuses them with the same code as any other bad file.
    file = serializers.FileField(allow_empty_file=True, help_text="PDF, JPG, PNG or HWP, at most 10 MB.")
    question = serializers.PrimaryKeyRelatedField(
        queryset=ProgramQuestion.objects.all(),
        required=False,
        allow_null=True,
        help_text="The file question this document answers; leave out for an extra document.",
    )


# --- what is shown -----------------------------------------------------------------------------------


@extend_schema_field(
    {
        # Wrapped in allOf so that drf-spectacular keeps the enum inline: extracted, it would be a
        # second "StatusEnum" next to the programs' status and break `spectacular --fail-on-warn`
        # (the alternative is an ENUM_NAME_OVERRIDES entry in settings, renaming the programs' enum).
        "allOf": [{"type": "string", "enum": ApplicationStatus.values}],
        "description": "The application's status; status_display says it in words.",
    }
)
class StatusField(serializers.CharField):
    pass


class ProgramRefSerializer(serializers.ModelSerializer):
    title = LocalizedField("title")

    class Meta:
        model = Program
        fields = ("id", "title")


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="Download link (login required).")

    class Meta:
        model = ApplicationDocument
        fields = ("id", "question", "name", "content_type", "size", "uploaded_at", "url")

    def get_url(self, obj: ApplicationDocument) -> str:
        # Served by the web app after a permission check, never from MEDIA_ROOT directly.
        return f"/programs/documents/{obj.pk}/"


class ApplicationEligibilityLineSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True, help_text="null: the profile does not say.")
    rule = serializers.CharField()
    comparison = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    verdict = serializers.CharField(
        source="eligibility_verdict", help_text="eligible, ineligible or needs_info; empty until judged."
    )
    rule_version = serializers.IntegerField(source="eligibility_rule_version", allow_null=True)
    checked_at = serializers.DateTimeField(source="eligibility_checked_at", allow_null=True)
    lines = ApplicationEligibilityLineSerializer(source="eligibility_lines", many=True)


class ApplicationListSerializer(serializers.ModelSerializer):
    program = ProgramRefSerializer(read_only=True)
    status = StatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = (
            "id",
            "reference",
            "program",
            "status",
            "status_display",
            "created_at",
            "submitted_at",
            "decided_at",
        )


class ApplicationDetailSerializer(ApplicationListSerializer):
    answers = AnswersField(read_only=True)
    eligibility = EligibilitySerializer(source="*", read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    can_cancel = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = (
            *ApplicationListSerializer.Meta.fields,
            "updated_at",
            "decision_reason",
            "answers",
            "eligibility",
            "documents",
            "can_cancel",
        )

    def get_can_cancel(self, obj: Application) -> bool:
        return obj.status in CANCELLABLE


class StaffApplicationListSerializer(serializers.ModelSerializer):
    program = ProgramRefSerializer(read_only=True)
    status = StatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True)
    applicant = serializers.SerializerMethodField(help_text="Masked: open the application for the name.")

    class Meta:
        model = Application
        fields = (
            "id",
            "reference",
            "program",
            "district",
            "applicant",
            "status",
            "status_display",
            "eligibility_verdict",
            "submitted_at",
            "decided_at",
        )

    def get_applicant(self, obj: Application) -> str:
        return mask_name(obj.household.name)


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField(source="household.name")
    phone = serializers.CharField(source="household.phone")
    email = serializers.EmailField(source="household.user.email")


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = ApplicationNote
        fields = ("id", "author", "body", "created_at")


class StaffApplicationDetailSerializer(StaffApplicationListSerializer):
    applicant = ApplicantSerializer(source="*", read_only=True)
    answers = AnswersField(read_only=True)
    eligibility = EligibilitySerializer(source="*", read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    decided_by = serializers.StringRelatedField(allow_null=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="The decide/ actions the application's status allows now."
    )

    class Meta(StaffApplicationListSerializer.Meta):
        fields = (
            *StaffApplicationListSerializer.Meta.fields,
            "created_at",
            "updated_at",
            "decided_by",
            "decision_reason",
            "lottery_rank",
            "answers",
            "eligibility",
            "documents",
            "notes",
            "allowed_actions",
        )

    def get_allowed_actions(self, obj: Application) -> list[str]:
        allowed = TRANSITIONS.get(obj.status, set())
        return [name for name, to in STAFF_ACTIONS.items() if to in allowed]


class DecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(STAFF_ACTIONS))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required to reject and to request information: the resident reads it.",
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
            queryset = queryset.prefetch_related("documents")
        return queryset.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else ApplicationDetailSerializer

    def _detail(self, application_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        application = self.get_queryset().get(pk=application_id)
        return Response(ApplicationDetailSerializer(application).data, status=code)

    def _incomplete(self, error: ApplicationError, program: Program, answers: dict | None) -> Response:
        """The service's "incomplete" refusal, with each unanswered question under `fields`."""
        draft = self.get_queryset().filter(program=program, status=ApplicationStatus.DRAFT).first()
        if answers is None:
            answers = draft.answers if draft else {}
        documents = set(draft.documents.values_list("question_id", flat=True)) if draft else set()
        problems = answers_problems(program, answers, documents=documents)
        return refusal(error, fields={f"answers.{key}": [text] for key, text in problems.items()})

    def _submit(self, program: Program, answers: dict | None, *, code: int) -> Response:
        try:
            application = application_submit(
                user=self.request.user, program=program, answers=answers, request=self.request
            )
        except DomainError as error:
            if error.code == "incomplete":
                return self._incomplete(error, program, answers)
            return refusal(error)
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
        answers = _answered(data["answers"]) if "answers" in data else None
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
        try:
            draft = application_draft_save(user=request.user, program=program, answers=_answered(answers))
        except DomainError as error:
            return refusal(error)
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
            return refusal(
                ApplicationError("invalid_transition", _("Only a draft can be submitted: this one was sent."))
            )
        serializer = SubmitSerializer(data=request.data, context={"program": application.program})
        serializer.is_valid(raise_exception=True)
        answers = serializer.validated_data.get("answers")
        return self._submit(
            application.program, _answered(answers) if answers is not None else None, code=status.HTTP_200_OK
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
        try:
            application_cancel(user=request.user, application=application, request=request)
        except DomainError as error:
            return refusal(error)
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
        try:
            document = document_attach(
                user=request.user,
                application=application,
                question=serializer.validated_data.get("question"),
                upload=serializer.validated_data["file"],
            )
        except DomainError as error:
            field = {"invalid_file": "file", "invalid_question": "question"}.get(error.code)
            return refusal(error, fields={field: [error.message]} if field else None)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer a request for information",
        description="Sends the application back to review with the changed answers.",
        request=RespondSerializer,
        responses={
            200: ApplicationDetailSerializer,
            400: error_response("Invalid answers."),
            403: error_response("Not logged in."),
            404: error_response("Not one of yours."),
            409: error_response("invalid_transition: no information was requested."),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def respond(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = RespondSerializer(data=request.data, context={"program": application.program})
        serializer.is_valid(raise_exception=True)
        # The service stores the answers it is given: merge, so that a reply need not repeat them all.
        answers = _answered({**application.answers, **serializer.validated_data.get("answers", {})})
        try:
            application_provide_info(user=request.user, application=application, answers=answers)
        except DomainError as error:
            return refusal(error)
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
        queryset = applications_visible_to(self.request.user).exclude(status=ApplicationStatus.DRAFT)
        if self.action == "list":
            # The list shows neither answers nor eligibility details: leave those columns behind.
            return queryset.select_related("program", "household", "district").defer(
                "answers", "eligibility_lines"
            )
        return queryset.select_related(
            "program", "household__user", "district", "decided_by"
        ).prefetch_related("documents", "notes__author")

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
        try:
            application_decide(
                application=application,
                action=serializer.validated_data["action"],
                actor=request.user,
                reason=serializer.validated_data.get("reason", ""),
                request=request,
            )
        except DomainError as error:
            fields = {"reason": [error.message]} if error.code == "reason_required" else None
            return refusal(error, fields=fields)
        application = self.get_queryset().get(pk=application.pk)
        return Response(StaffApplicationDetailSerializer(application).data)
