"""What the care API reads and writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import LocalizedField, SupportedDateField, SupportedDateTimeField
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name
from safety.api.serializers import enum_field

from ..models import AppointmentMode, AppointmentStatus, CheckInStatus, TaskKind, TaskOutcome
from ..models.counselling import PreferredContact, Urgency

ModeField = enum_field(AppointmentMode.values, "Where the session happens: room, phone or video.")
AppointmentStatusField = enum_field(AppointmentStatus.values, "The appointment's status.")
UrgencyField = enum_field(Urgency.values, "How urgent the resident says it is.")
ContactField = enum_field(PreferredContact.values, "How the resident wants to be contacted.")
CheckInStatusField = enum_field(CheckInStatus.values, "Where the check-in is on its ladder.")
AnswerField = enum_field(["ok", "help"], "ok: I'm fine; help: I need help.")
TaskKindField = enum_field(TaskKind.values, "call, visit, or help (the resident asked for help).")
OutcomeField = enum_field(TaskOutcome.values, "What the call or visit found.")

CRISIS_LINES = [
    {"name": "자살예방상담전화 (Suicide prevention)", "number": "109"},
    {"name": "정신건강위기상담 (Mental health crisis)", "number": "1577-0199"},
    {"name": "경찰 (Police)", "number": "112"},
    {"name": "소방·구급 (Fire and ambulance)", "number": "119"},
]


class ServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = LocalizedField("name")
    description = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    district = serializers.CharField(source="district.code")


class SlotSerializer(serializers.Serializer):
    counsellor = serializers.IntegerField(source="counsellor_id")
    counsellor_name = serializers.CharField(source="counsellor")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    modes = serializers.ListField(child=ModeField())


class SlotQuerySerializer(serializers.Serializer):
    start = SupportedDateField(required=False, help_text="First day (default today).")
    days = serializers.IntegerField(required=False, min_value=1, max_value=28, default=28)


class CrisisLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    number = serializers.CharField()


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    service = serializers.IntegerField(source="service_id")
    service_name = serializers.CharField(source="service.name")
    counsellor = serializers.IntegerField(source="counsellor_id")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = ModeField()
    status = AppointmentStatusField()
    topic = serializers.CharField()
    urgency = UrgencyField()
    crisis = serializers.BooleanField(help_text="The intake signalled a crisis: show crisis_lines at once.")
    crisis_lines = serializers.SerializerMethodField()
    can_change = serializers.SerializerMethodField()
    ics = serializers.SerializerMethodField()

    @extend_schema_field(CrisisLineSerializer(many=True))
    def get_crisis_lines(self, obj):
        return CRISIS_LINES if obj.crisis else []

    def get_can_change(self, obj) -> bool:
        from ..services.appointments import resident_can_change

        return resident_can_change(obj)

    def get_ics(self, obj) -> str:
        return f"/care/appointments/{obj.pk}/calendar.ics"


class AppointmentCreateSerializer(serializers.Serializer):
    service = serializers.IntegerField(min_value=1)
    counsellor = serializers.IntegerField(min_value=1)
    starts_at = SupportedDateTimeField()
    mode = ModeField()
    topic = serializers.CharField(max_length=200, validators=[refuse_identifiers])
    intake = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, validators=[refuse_identifiers]
    )
    urgency = UrgencyField(required=False, default=Urgency.ROUTINE)
    preferred_contact = ContactField(required=False, default=PreferredContact.PHONE)

    def validate_mode(self, value):
        if value not in AppointmentMode.values:
            raise serializers.ValidationError("Choose room, phone or video.")
        return value

    def validate_urgency(self, value):
        if value not in Urgency.values:
            raise serializers.ValidationError("Choose routine, soon or urgent.")
        return value

    def validate_preferred_contact(self, value):
        if value not in PreferredContact.values:
            raise serializers.ValidationError("Choose phone, sms or email.")
        return value


class AppointmentMoveSerializer(serializers.Serializer):
    starts_at = SupportedDateTimeField()
    mode = ModeField(required=False)

    def validate_mode(self, value):
        if value not in AppointmentMode.values:
            raise serializers.ValidationError("Choose room, phone or video.")
        return value


class CheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scheduled_at = serializers.DateTimeField()
    status = CheckInStatusField()
    answered_at = serializers.DateTimeField(source="used_at", allow_null=True)


class AnswerSerializer(serializers.Serializer):
    answer = AnswerField()

    def validate_answer(self, value):
        if value not in ("ok", "help"):
            raise serializers.ValidationError("Answer ok or help.")
        return value


class PauseSerializer(serializers.Serializer):
    starts_on = SupportedDateField()
    ends_on = SupportedDateField()


class EnrolmentSerializer(serializers.Serializer):
    status = serializers.CharField()
    weekdays = serializers.ListField(child=serializers.IntegerField())
    at = serializers.TimeField()
    paused_from = serializers.DateField(allow_null=True)
    paused_until = serializers.DateField(allow_null=True)


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = TaskKindField()
    neighbourhood = serializers.CharField(source="neighbourhood.name", default="", allow_null=True)
    created_at = serializers.DateTimeField()
    resident = serializers.SerializerMethodField()
    checkin_status = CheckInStatusField(source="checkin.status")
    outcome = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_resident(self, obj) -> str:
        return mask_name(obj.checkin.enrolment.household.name)


class OutcomeSerializer(serializers.Serializer):
    outcome = OutcomeField()
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, validators=[refuse_identifiers]
    )

    def validate_outcome(self, value):
        if value not in TaskOutcome.values:
            raise serializers.ValidationError("Choose reached, no_answer, needs_visit or visited.")
        return value
