"""What the safety API reads and writes: kit items, the district's offer, requests with their visits,
and the bodies residents and staff send."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import LocalizedField, SupportedDateField
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name
from programs.api.serializers import LineTextField

from ..models import (
    InstallationVisit,
    KitItem,
    KitRequest,
    KitRequestItem,
    KitRequestStatus,
    Slot,
    VisitStatus,
)
from ..services import CANCELLABLE, MAX_WINDOWS, STAFF_ACTIONS, TRANSITIONS


def enum_field(values: list, description: str):
    # Wrapped in allOf so drf-spectacular keeps each enum inline: extracted, several "StatusEnum"s
    # would collide with the programs' and break `spectacular --fail-on-warn`.
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}

    @extend_schema_field(schema)
    class EnumField(serializers.CharField):
        pass

    return EnumField


RequestStatusField = enum_field(
    KitRequestStatus.values, "The request's status; status_display says it in words."
)
VisitStatusField = enum_field(VisitStatus.values, "The visit's status.")


# --- serializers -------------------------------------------------------------------------------------


class KitItemSerializer(serializers.ModelSerializer):
    name = LocalizedField("name")
    description = LocalizedField("description")

    class Meta:
        model = KitItem
        fields = ("id", "code", "name", "description", "icon")


class OfferItemSerializer(KitItemSerializer):
    available = serializers.BooleanField(help_text="Whether the district has any in stock now.")

    class Meta(KitItemSerializer.Meta):
        fields = (*KitItemSerializer.Meta.fields, "available")


class KitEligibilityLineSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True, help_text="null: the profile does not say.")
    rule = LineTextField()
    comparison = LineTextField()


class KitOfferEligibilitySerializer(serializers.Serializer):
    verdict = serializers.CharField(help_text="eligible, ineligible or needs_info.")
    rule_version = serializers.IntegerField()
    lines = KitEligibilityLineSerializer(many=True)


class OfferSerializer(serializers.Serializer):
    district = serializers.CharField(help_text="The district's code.")
    district_name = serializers.CharField()
    is_active = serializers.BooleanField(help_text="Whether the district takes requests now.")
    max_items = serializers.IntegerField(help_text="How many items one household may choose.")
    priority_notes = serializers.CharField()
    items = OfferItemSerializer(many=True)
    eligibility = KitOfferEligibilitySerializer(
        allow_null=True, help_text="Your profile against the district's criteria; null: everyone may ask."
    )
    open_request = serializers.IntegerField(allow_null=True, help_text="The id of your open request, if any.")


class KitWindowSerializer(serializers.Serializer):
    date = SupportedDateField()
    slot = serializers.ChoiceField(choices=Slot.choices)


class KitVisitSerializer(serializers.ModelSerializer):
    status = VisitStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InstallationVisit
        fields = (
            "id",
            "date",
            "window_start",
            "window_end",
            "installer",
            "status",
            "status_display",
            "note",
            "failure_reason",
            "resident_note",
        )


class KitRequestSerializer(serializers.ModelSerializer):
    status = RequestStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    items = serializers.SerializerMethodField()
    preferred_windows = KitWindowSerializer(many=True, read_only=True)
    visits = KitVisitSerializer(many=True, read_only=True)
    survey_rating = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()

    class Meta:
        model = KitRequest
        fields = (
            "id",
            "reference",
            "status",
            "status_display",
            "items",
            "preferred_windows",
            "priority",
            "eligibility_verdict",
            "submitted_at",
            "decided_at",
            "decision_reason",
            "visits",
            "survey_rating",
            "can_cancel",
        )

    @extend_schema_field(KitItemSerializer(many=True))
    def get_items(self, obj: KitRequest) -> list[dict]:
        return KitItemSerializer([line.item for line in obj.items.all()], many=True).data

    def get_survey_rating(self, obj: KitRequest) -> int | None:
        survey = getattr(obj, "survey", None)
        return survey.rating if survey else None

    def get_can_cancel(self, obj: KitRequest) -> bool:
        return obj.status in CANCELLABLE


class KitRequestCreateSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=8,
        help_text="Ids of items of your district's offer.",
    )
    windows = KitWindowSerializer(
        many=True, help_text=f"1 to {MAX_WINDOWS} preferred visit times, from tomorrow on."
    )


class KitRescheduleSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=1000, validators=[refuse_identifiers], help_text="Which days and times suit you better."
    )


class KitSurveySerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, validators=[refuse_identifiers]
    )


class StaffKitRequestSerializer(KitRequestSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    applicant = serializers.SerializerMethodField(help_text="Masked: open the request for the name.")
    allowed_actions = serializers.SerializerMethodField(
        help_text="The decide/ actions the status allows now."
    )

    class Meta(KitRequestSerializer.Meta):
        fields = (*KitRequestSerializer.Meta.fields, "district", "applicant", "allowed_actions")

    def get_applicant(self, obj: KitRequest) -> str:
        return mask_name(obj.household.name)

    def get_allowed_actions(self, obj: KitRequest) -> list[str]:
        allowed = TRANSITIONS.get(obj.status, set())
        actions = [name for name, to in STAFF_ACTIONS.items() if to in allowed]
        return [name for name in actions if name != "approve" or obj.status == KitRequestStatus.SUBMITTED]


class StaffKitRequestDetailSerializer(StaffKitRequestSerializer):
    applicant = serializers.SerializerMethodField(help_text="Name and phone, for arranging the visit.")
    eligibility_lines = KitEligibilityLineSerializer(many=True, read_only=True)

    class Meta(StaffKitRequestSerializer.Meta):
        fields = (*StaffKitRequestSerializer.Meta.fields, "eligibility_lines", "eligibility_rule_version")

    @extend_schema_field(
        {"type": "object", "properties": {"name": {"type": "string"}, "phone": {"type": "string"}}}
    )
    def get_applicant(self, obj: KitRequest) -> dict:
        return {"name": obj.household.name, "phone": obj.household.phone}


class KitDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(STAFF_ACTIONS))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        validators=[refuse_identifiers],
        help_text="Required to reject: the resident reads it.",
    )


class KitVisitScheduleSerializer(serializers.Serializer):
    date = SupportedDateField()
    window_start = serializers.TimeField()
    window_end = serializers.TimeField()
    installer = serializers.CharField(max_length=100, validators=[refuse_identifiers])


class KitVisitCompleteSerializer(serializers.Serializer):
    installed = serializers.BooleanField(
        help_text="true: installed; false: failed (failure_reason required)."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, validators=[refuse_identifiers]
    )
    failure_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, validators=[refuse_identifiers]
    )


def with_related(queryset: QuerySet[KitRequest]) -> QuerySet[KitRequest]:
    return queryset.select_related("survey", "household", "district").prefetch_related(
        Prefetch("items", queryset=KitRequestItem.objects.select_related("item")), "visits"
    )
