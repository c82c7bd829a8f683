"""Serializers of the applications API: answers (checked by programs.answers, as on the web form),
uploads, decisions, and what residents and staff are shown."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import LocalizedField, SupportedDateTimeField
from portal.api.parsers import nesting_exceeds
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name

from ..answers import MAX_TEXT_LENGTH, AnswerError, clean_answer
from ..eligibility import stored_text
from ..models import (
    Application,
    ApplicationDocument,
    ApplicationNote,
    ApplicationStatus,
    InformationRequest,
    Program,
    ProgramQuestion,
)
from ..selectors import public_programs
from ..services.applications import CANCELLABLE, STAFF_ACTIONS, TRANSITIONS
from ..services.information import MAX_REPLY_FILES

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
                cleaned[key] = clean_answer(question, value)
            except AnswerError as error:
                problems[f"answers.{key}"] = [error.message]
    if problems:
        raise serializers.ValidationError(problems)
    return cleaned


def answered(answers: dict[str, Any]) -> dict[str, Any]:
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


REPLY_HELP = (
    "Your answer to the district's question (what it asked: information_request.question). "
    "Required unless you send a document or change an answer; never a registration number."
)


class RespondSerializer(AnswersSerializer):
    """A reply to a request for information, as JSON (text and answers; documents: RespondUploadSerializer
    or documents/ first)."""

    reply = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT_LENGTH,
        validators=[refuse_identifiers],
        help_text=REPLY_HELP,
    )
    answers = AnswersField(
        required=False,
        help_text="Only the answers to change; the others stay. null clears an answer.",
    )


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file part of a multipart request: binary in the schema (not the URI DRF's field reads as)."""


class ReplySerializer(RespondSerializer):
    """What respond/ checks, whichever way the reply came: the JSON fields and the multipart files."""

    files = serializers.ListField(
        child=UploadField(allow_empty_file=True), required=False, max_length=MAX_REPLY_FILES
    )


class RespondUploadSerializer(serializers.Serializer):
    """The same reply as multipart/form-data, with documents: the schema of that body. `answers` is one
    JSON-encoded part (a form's fields are text); each document is a `files` part."""

    reply = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH, help_text=REPLY_HELP
    )
    answers = serializers.CharField(
        required=False,
        help_text='The answers to change, as a JSON object, e.g. {"q12": "오후", "q13": 3}.',
    )
    files = serializers.ListField(
        child=UploadField(allow_empty_file=True),
        required=False,
        max_length=MAX_REPLY_FILES,
        help_text=f"Documents sent with the reply (PDF, JPG, PNG or HWP, at most 10 MB each, at most "
        f"{MAX_REPLY_FILES}); they answer no particular question.",
    )


def respond_payload(data: Any, files: Any) -> Any:
    """The reply's fields from a JSON body or from multipart/form-data (answers as one JSON part)."""
    if not hasattr(data, "getlist"):  # JSON: as sent (the serializer refuses anything but an object)
        return data
    payload: dict[str, Any] = {"files": files.getlist("files")}
    if "reply" in data:
        payload["reply"] = data.get("reply")
    if data.get("answers") not in (None, ""):
        text = data.get("answers")
        try:
            if nesting_exceeds(text):
                raise ValueError
            payload["answers"] = json.loads(text)
        except ValueError as exc:
            raise serializers.ValidationError(
                {"answers": [_('Send the answers as one JSON object, e.g. {"q12": 3}.')]}
            ) from exc
    return payload


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


class InformationRequestSerializer(serializers.ModelSerializer):
    """One round of "more information": the district's question and the resident's reply."""

    documents = DocumentSerializer(many=True, read_only=True, help_text="Sent with the reply.")
    is_open = serializers.BooleanField(read_only=True, help_text="Waiting for the resident's reply.")

    class Meta:
        model = InformationRequest
        fields = (
            "id",
            "question",
            "asked_at",
            "is_open",
            "reply",
            "replied_at",
            "changed_answers",
            "documents",
        )
        read_only_fields = fields


class StaffInformationRequestSerializer(InformationRequestSerializer):
    asked_by = serializers.StringRelatedField(allow_null=True)

    class Meta(InformationRequestSerializer.Meta):
        fields = (*InformationRequestSerializer.Meta.fields, "asked_by", "closed_at")
        read_only_fields = fields


class LineTextField(serializers.CharField):
    """An eligibility line's text in the reader's language (Accept-Language): a kept line (a dict)
    holds both; a line judged now (eligibility.Line) is in the active language already."""

    def get_attribute(self, instance):
        if isinstance(instance, dict):
            return stored_text(instance, self.field_name)
        return super().get_attribute(instance)


class ApplicationEligibilityLineSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True, help_text="null: the profile does not say.")
    rule = LineTextField()
    comparison = LineTextField()


class EligibilitySerializer(serializers.Serializer):
    verdict = serializers.CharField(
        source="eligibility_verdict", help_text="eligible, ineligible or needs_info; empty until judged."
    )
    rule_version = serializers.IntegerField(source="eligibility_rule_version", allow_null=True)
    checked_at = SupportedDateTimeField(source="eligibility_checked_at", allow_null=True)
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
    information_request = serializers.SerializerMethodField(
        help_text="The district's open question, while the application waits on your reply (respond/)."
    )
    information_requests = InformationRequestSerializer(
        many=True, read_only=True, help_text="Every request for information and your replies, oldest first."
    )

    class Meta(ApplicationListSerializer.Meta):
        fields = (
            *ApplicationListSerializer.Meta.fields,
            "updated_at",
            "decision_reason",
            "answers",
            "eligibility",
            "documents",
            "can_cancel",
            "information_request",
            "information_requests",
        )

    def get_can_cancel(self, obj: Application) -> bool:
        return obj.status in CANCELLABLE

    @extend_schema_field(InformationRequestSerializer(allow_null=True))
    def get_information_request(self, obj: Application) -> dict | None:
        if obj.status != ApplicationStatus.INFO_REQUESTED:
            return None
        # From the prefetched rounds: no query of its own.
        current = next((r for r in obj.information_requests.all() if r.is_open), None)
        return InformationRequestSerializer(current).data if current else None


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
    information_requests = StaffInformationRequestSerializer(
        many=True, read_only=True, help_text="The questions asked of the resident and their replies."
    )
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
            "information_requests",
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
        validators=[refuse_identifiers],
        help_text="Required to reject and to request information: the resident reads it.",
    )
