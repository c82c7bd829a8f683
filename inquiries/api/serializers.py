"""Serializers of the inquiries API. Input serializers only check shapes; every rule is the services'."""

from __future__ import annotations

from rest_framework import serializers

from portal.api.fields import SupportedDateTimeField
from portal.masking import mask_name

from ..models import AnswerTemplate, Channel, Inquiry, InquiryMessage, SubjectKind, Topic
from ..selectors import time_left


class MessageSerializer(serializers.ModelSerializer):
    created_at = SupportedDateTimeField(read_only=True)

    class Meta:
        model = InquiryMessage
        fields = ["id", "author", "channel", "body", "created_at"]


class InquirySerializer(serializers.ModelSerializer):
    """The resident's view: "answer expected by" is due_at while the question is open."""

    received_at = SupportedDateTimeField(read_only=True)
    due_at = SupportedDateTimeField(read_only=True, help_text="Answer expected by (while open).")
    first_answered_at = SupportedDateTimeField(read_only=True, allow_null=True)
    rated_at = SupportedDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "reference",
            "title",
            "topic",
            "channel",
            "status",
            "subject_kind",
            "subject_label",
            "received_at",
            "due_at",
            "first_answered_at",
            "rating",
            "rated_at",
        ]


class InquiryDetailSerializer(InquirySerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(InquirySerializer.Meta):
        fields = [*InquirySerializer.Meta.fields, "rating_comment", "messages"]


class InquiryCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=2000)
    topic = serializers.ChoiceField(choices=Topic.choices, default=Topic.GENERAL)
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices, required=False, allow_blank=True)
    subject_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)


class FollowUpSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class RatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class StaffInquirySerializer(serializers.ModelSerializer):
    """The queue: who is masked, the working time left is given in seconds (negative once overdue)."""

    received_at = SupportedDateTimeField(read_only=True)
    due_at = SupportedDateTimeField(read_only=True)
    breached_at = SupportedDateTimeField(read_only=True, allow_null=True)
    team = serializers.StringRelatedField()
    resident = serializers.SerializerMethodField()
    working_seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "reference",
            "title",
            "topic",
            "channel",
            "status",
            "team",
            "resident",
            "received_at",
            "due_at",
            "breached_at",
            "working_seconds_left",
        ]

    def get_resident(self, inquiry: Inquiry) -> str:
        from portal.masking import mask_email, mask_phone

        if inquiry.user_id is None:
            address = inquiry.guest_address
            return mask_email(address) if "@" in address else mask_phone(address)
        household = getattr(inquiry.user, "household", None)
        return mask_name(household.name) if household else mask_email(inquiry.user.email)

    def get_working_seconds_left(self, inquiry: Inquiry) -> int:
        return time_left(inquiry)


class StaffInquiryDetailSerializer(StaffInquirySerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(StaffInquirySerializer.Meta):
        fields = [*StaffInquirySerializer.Meta.fields, "subject_kind", "subject_label", "rating", "messages"]


class InquiryAnswerSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)
    template = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)


class InboundSmsSerializer(serializers.Serializer):
    message_id = serializers.CharField(max_length=100, help_text="The gateway's id of the message.")
    sender = serializers.CharField(max_length=30, help_text="The sender's number, e.g. 01012345678.")
    text = serializers.CharField(max_length=4000)


class InboundEmailSerializer(serializers.Serializer):
    message_id = serializers.CharField(max_length=100, help_text="The Message-ID header.")
    sender = serializers.CharField(max_length=254, help_text="The From address.")
    subject = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=20000, help_text="The plain-text body.")


class InboundResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    stored = serializers.BooleanField(help_text="false: this message id was already received.")
    channel = serializers.ChoiceField(choices=Channel.choices)


class AnswerTemplateSerializer(serializers.ModelSerializer):
    city_wide = serializers.SerializerMethodField()

    class Meta:
        model = AnswerTemplate
        fields = ["id", "title", "topic", "body", "city_wide"]

    def get_city_wide(self, template) -> bool:
        return template.district_id is None
