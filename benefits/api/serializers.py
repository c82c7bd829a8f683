"""Serializers of the benefits API. Amounts are integers of won; dates use the core's supported fields."""

from __future__ import annotations

from rest_framework import serializers

from portal.api.fields import SupportedDateField, SupportedDateTimeField
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name

from ..models import Award, Claim, Payment


class PaymentSerializer(serializers.ModelSerializer):
    due_on = SupportedDateField(read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "period", "amount", "due_on", "status"]


class ClaimSerializer(serializers.ModelSerializer):
    receipt_date = SupportedDateField(read_only=True)
    submitted_at = SupportedDateTimeField(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "award",
            "period",
            "issuer",
            "receipt_number",
            "receipt_date",
            "receipt_amount",
            "status",
            "approved_amount",
            "decision_reason",
            "submitted_at",
        ]


class AwardSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="terms.program_id", read_only=True)
    program_title = serializers.CharField(source="terms.program.title", read_only=True)
    kind = serializers.CharField(source="terms.kind", read_only=True)
    started_on = SupportedDateField(read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        fields = ["id", "program", "program_title", "kind", "status", "started_on", "payments", "claims"]


class ClaimCreateSerializer(serializers.Serializer):
    award = serializers.IntegerField(help_text="One of your awards (a reimbursement).")
    issuer = serializers.CharField(max_length=80, validators=[refuse_identifiers])
    receipt_number = serializers.CharField(max_length=40, validators=[refuse_identifiers])
    receipt_date = SupportedDateField()
    receipt_amount = serializers.IntegerField(min_value=1, max_value=10**12)
    receipt = serializers.FileField(help_text="PDF, JPG, PNG or HWP, at most 10 MB.")


class StaffClaimSerializer(serializers.ModelSerializer):
    claimant = serializers.SerializerMethodField()
    program = serializers.IntegerField(source="award.terms.program_id", read_only=True)
    receipt_date = SupportedDateField(read_only=True)
    submitted_at = SupportedDateTimeField(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "program",
            "claimant",
            "period",
            "issuer",
            "receipt_number",
            "receipt_date",
            "receipt_amount",
            "status",
            "approved_amount",
            "submitted_at",
        ]

    def get_claimant(self, obj: Claim) -> str:
        return mask_name(obj.award.household.name)


class ApproveSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**12)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, validators=[refuse_identifiers])


class ExecutionSerializer(serializers.Serializer):
    program = serializers.IntegerField()
    program_title = serializers.CharField()
    kind = serializers.CharField()
    budget_line_code = serializers.CharField()
    budget = serializers.IntegerField(allow_null=True)
    committed = serializers.IntegerField()
    paid = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="집행률: paid / budget, percent.")


class StaffPaymentSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="terms.program_id", read_only=True)
    recipient = serializers.SerializerMethodField()
    account = serializers.SerializerMethodField(help_text="Masked: bank code and the last four digits.")
    due_on = SupportedDateField(read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "program", "recipient", "account", "period", "amount", "due_on", "status", "batch"]

    def get_recipient(self, obj: Payment) -> str:
        return mask_name(obj.award.household.name)

    def get_account(self, obj: Payment) -> str | None:
        account = getattr(obj.award.household, "bank_account", None)
        return account.masked if account else None


class SettleSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["paid", "returned"])
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        validators=[refuse_identifiers],
        help_text="What the bank said (required for returned).",
    )


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(source="__str__", read_only=True)
    created_at = SupportedDateTimeField(read_only=True)
    payment_count = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True, help_text="Control total, won.")


class BatchPaidSerializer(serializers.Serializer):
    batch = BatchSerializer(read_only=True)
    paid = serializers.IntegerField(read_only=True, help_text="How many payments this call marked paid.")
