"""What the community API reads and writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import SupportedDateField, SupportedDateTimeField
from portal.identifiers import refuse_identifiers
from programs.api.serializers import UploadField
from spaces.api.serializers import BookingSerializer, SeoulDateTimeField
from spaces.models import Room

from ..models import (
    ActivityReport,
    Call,
    CallCategory,
    CallStatus,
    Criterion,
    MemberStatus,
    Milestone,
    Proposal,
    ProposalMember,
    ProposalStatus,
    ReportStatus,
)
from ..models.evaluation import MAX_POINTS
from ..services.projects import MAX_FILES


def enum_field(values: list, description: str):
    # Wrapped in allOf so drf-spectacular keeps each enum inline (no "StatusEnum" collisions).
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}

    @extend_schema_field(schema)
    class EnumField(serializers.CharField):
        pass

    return EnumField


ProposalStatusField = enum_field(
    ProposalStatus.values, "The proposal's status; status_display says it in words."
)
CallStatusField = enum_field(CallStatus.values, "The call's step.")
MemberStatusField = enum_field(MemberStatus.values, "invited, confirmed or declined.")


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = CallCategory
        fields = ("id", "name")


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ("id", "name", "weight")


class CallSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True, help_text="The district's code.")
    district_name = serializers.CharField(source="district.name", read_only=True)
    status = CallStatusField(read_only=True)
    opens_at = SupportedDateTimeField(read_only=True)
    closes_at = SupportedDateTimeField(read_only=True)
    is_open = serializers.BooleanField(read_only=True, help_text="Whether proposals may be submitted now.")
    categories = CategorySerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = (
            "id",
            "title",
            "description",
            "district",
            "district_name",
            "status",
            "budget",
            "per_project_limit",
            "opens_at",
            "closes_at",
            "min_members",
            "is_open",
            "categories",
            "criteria",
        )
        read_only_fields = fields


class BudgetLineInSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200, validators=[refuse_identifiers])
    amount = serializers.IntegerField(min_value=1, max_value=10**12, help_text="Whole won.")


class ProposalInSerializer(serializers.Serializer):
    call = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    category = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    group_name = serializers.CharField(max_length=100, validators=[refuse_identifiers])
    title = serializers.CharField(max_length=200, validators=[refuse_identifiers])
    purpose = serializers.CharField(max_length=2000, validators=[refuse_identifiers])
    plan = serializers.CharField(max_length=4000, validators=[refuse_identifiers])
    schedule = serializers.CharField(max_length=2000, validators=[refuse_identifiers])
    space_hours_wanted = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    budget_lines = BudgetLineInSerializer(many=True, min_length=1, max_length=30)


class MemberSerializer(serializers.ModelSerializer):
    status = MemberStatusField(read_only=True)
    is_you = serializers.SerializerMethodField()
    invited_at = SupportedDateTimeField(read_only=True)

    class Meta:
        model = ProposalMember
        fields = ("id", "status", "is_you", "invited_at")

    def get_is_you(self, member: ProposalMember) -> bool:
        request = self.context.get("request")
        return bool(request and member.user_id == request.user.pk)


class BudgetLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    amount = serializers.IntegerField()


class ScoreSummarySerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    evaluators = serializers.IntegerField()
    criteria = serializers.ListField(child=serializers.DictField())


class ProposalSerializer(serializers.ModelSerializer):
    status = ProposalStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category = CategorySerializer(read_only=True)
    call = serializers.IntegerField(source="call_id", read_only=True)
    call_title = serializers.CharField(source="call.title", read_only=True)
    submitted_at = SupportedDateTimeField(read_only=True, allow_null=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    is_lead = serializers.SerializerMethodField()
    score_summary = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = (
            "id",
            "reference",
            "call",
            "call_title",
            "category",
            "group_name",
            "title",
            "purpose",
            "plan",
            "schedule",
            "space_hours_wanted",
            "status",
            "status_display",
            "screening_reason",
            "submitted_at",
            "budget_lines",
            "members",
            "is_lead",
            "grant_amount",
            "space_hours_quota",
            "score_summary",
        )
        read_only_fields = fields

    def get_is_lead(self, proposal: Proposal) -> bool:
        request = self.context.get("request")
        return bool(request and proposal.lead_id == request.user.pk)

    @extend_schema_field(ScoreSummarySerializer(allow_null=True))
    def get_score_summary(self, proposal: Proposal):
        from ..services import score_summary

        summary = score_summary(proposal)
        return ScoreSummarySerializer(summary).data if summary else None


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class InvitationAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()


class InvitationSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id", read_only=True)
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)
    call_title = serializers.CharField(source="proposal.call.title", read_only=True)
    status = MemberStatusField(read_only=True)
    invited_at = SupportedDateTimeField(read_only=True)

    class Meta:
        model = ProposalMember
        fields = ("id", "proposal", "proposal_title", "call_title", "status", "invited_at")
        read_only_fields = fields


class PublicProjectSerializer(serializers.ModelSerializer):
    call_title = serializers.CharField(source="call.title", read_only=True)
    district = serializers.CharField(source="call.district.code", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    accepted_reports = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        fields = (
            "id",
            "group_name",
            "title",
            "call_title",
            "district",
            "category",
            "grant_amount",
            "results",
            "accepted_reports",
        )
        read_only_fields = fields


# --- evaluators ---


class SheetSerializer(serializers.Serializer):
    mine = serializers.BooleanField()
    total = serializers.DecimalField(max_digits=5, decimal_places=2)
    scores = serializers.DictField(child=serializers.IntegerField(), help_text="Criterion id → points.")


class EvaluationSerializer(serializers.ModelSerializer):
    """A proposal as an evaluator sees it: no lead or member identities; the sheets only when visible."""

    category = CategorySerializer(read_only=True)
    status = ProposalStatusField(read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(source="call.criteria", many=True, read_only=True)
    declared = serializers.BooleanField(read_only=True)
    conflicted = serializers.BooleanField(read_only=True)
    scored = serializers.BooleanField(read_only=True)
    sheets = serializers.SerializerMethodField(
        help_text="null until you have sent your own sheet (staff: until scoring closes)."
    )

    class Meta:
        model = Proposal
        fields = (
            "id",
            "reference",
            "title",
            "group_name",
            "category",
            "purpose",
            "plan",
            "schedule",
            "status",
            "budget_lines",
            "criteria",
            "declared",
            "conflicted",
            "scored",
            "sheets",
        )
        read_only_fields = fields

    @extend_schema_field(SheetSerializer(many=True, allow_null=True))
    def get_sheets(self, proposal: Proposal):
        from ..services import scores_visible

        request = self.context["request"]
        if not scores_visible(request.user, proposal):
            return None
        return [
            {
                "mine": sheet.evaluator_id == request.user.pk,
                "total": sheet.total,
                "scores": {str(score.criterion_id): score.points for score in sheet.scores.all()},
            }
            for sheet in proposal.score_sheets.prefetch_related("scores").order_by("submitted_at", "pk")
        ]


class DeclareSerializer(serializers.Serializer):
    conflicted = serializers.BooleanField()
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, validators=[refuse_identifiers]
    )


class ScoreInSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_POINTS),
        help_text="Every criterion id of the call → 0–10 points.",
    )
    comment = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, validators=[refuse_identifiers]
    )


# --- staff ---


class StaffProposalSerializer(serializers.ModelSerializer):
    status = ProposalStatusField(read_only=True)
    call = serializers.IntegerField(source="call_id", read_only=True)
    submitted_at = SupportedDateTimeField(read_only=True, allow_null=True)
    requested = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        fields = (
            "id",
            "reference",
            "call",
            "title",
            "group_name",
            "status",
            "submitted_at",
            "requested",
            "grant_amount",
            "space_hours_quota",
        )
        read_only_fields = fields


class ScreenSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, validators=[refuse_identifiers]
    )


class DecideSerializer(serializers.Serializer):
    select = serializers.BooleanField()
    grant_amount = serializers.IntegerField(
        min_value=1, max_value=10**12, required=False, help_text="Whole won."
    )
    space_hours_quota = serializers.IntegerField(min_value=0, max_value=1000, required=False)


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    proposal = serializers.IntegerField(source="proposal.pk")
    reference = serializers.CharField(source="proposal.reference")
    title = serializers.CharField(source="proposal.title")
    status = ProposalStatusField(source="proposal.status")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    evaluators = serializers.IntegerField()
    requested = serializers.IntegerField()
    fits = serializers.BooleanField()


class VisitNoteInSerializer(serializers.Serializer):
    visited_on = SupportedDateField()
    note = serializers.CharField(max_length=4000, validators=[refuse_identifiers])


class MilestoneInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, validators=[refuse_identifiers])
    due_on = SupportedDateField()


class PaymentInSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**12, help_text="Whole won.")
    paid_on = SupportedDateField()
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=[refuse_identifiers]
    )


class ActivityReportSerializer(serializers.ModelSerializer):
    """An activity report as its group sees it (staff see the same: StaffReportSerializer)."""

    status = enum_field(ReportStatus.values, "The report's review status.")(read_only=True)
    proposal = serializers.IntegerField(source="milestone.proposal_id", read_only=True)
    milestone = serializers.IntegerField(source="milestone_id", read_only=True)
    milestone_title = serializers.CharField(source="milestone.title", read_only=True)
    spent = serializers.IntegerField(read_only=True, help_text="Whole won spent so far.")
    review_note = serializers.CharField(read_only=True, help_text="Staff's note (always, when returned).")
    submitted_at = SupportedDateTimeField(read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = ActivityReport
        fields = (
            "id",
            "proposal",
            "milestone",
            "milestone_title",
            "text",
            "spent",
            "status",
            "review_note",
            "submitted_at",
            "files",
        )
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}, "description": "Download paths."})
    def get_files(self, report) -> list[str]:
        from django.urls import reverse

        return [reverse("community:report_file", args=[f.pk]) for f in report.files.all()]


class StaffReportSerializer(ActivityReportSerializer):
    """An activity report of the district's projects, for staff."""

    class Meta(ActivityReportSerializer.Meta):
        pass


class ProjectMilestoneSerializer(serializers.ModelSerializer):
    """A milestone of one of your projects, with the reports the group sent on it (newest first)."""

    proposal = serializers.IntegerField(source="proposal_id", read_only=True)
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)
    due_on = SupportedDateField(read_only=True, help_text="The report is due on this day (Seoul).")
    reports = ActivityReportSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = ("id", "proposal", "proposal_title", "title", "due_on", "reports")
        read_only_fields = fields


FILE_HELP = "Up to 10 MB each; at most 10 photos and receipts together."


class ReportInSerializer(serializers.Serializer):
    """An activity report as multipart/form-data: one `photos` or `receipts` part per file."""

    text = serializers.CharField(
        max_length=4000, validators=[refuse_identifiers], help_text="What the group did."
    )
    spent = serializers.IntegerField(
        min_value=0, max_value=10**12, default=0, help_text="Whole won spent so far."
    )
    # Empty files reach the service, which refuses them (invalid_file) as it refuses the web form's.
    photos = serializers.ListField(
        child=UploadField(allow_empty_file=True),
        required=False,
        max_length=MAX_FILES,
        help_text=f"Photos of the activity: JPG or PNG (PDF and HWP are taken too). {FILE_HELP} Avoid "
        "photos in which people can be recognised without their consent.",
    )
    receipts = serializers.ListField(
        child=UploadField(allow_empty_file=True),
        required=False,
        max_length=MAX_FILES,
        help_text=f"PDF, JPG, PNG or HWP. {FILE_HELP}",
    )


class ProjectRoomSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    space = serializers.CharField(source="space.display_name", read_only=True)

    class Meta:
        model = Room
        fields = ("id", "space", "name", "capacity", "requires_approval")
        read_only_fields = fields


class ProjectBookingsSerializer(serializers.Serializer):
    """A selected project's space hours: its quota, what its members' bookings use, the rooms it may
    book and those bookings."""

    project = serializers.IntegerField(source="proposal.pk")
    title = serializers.CharField(source="proposal.title")
    space_hours_quota = serializers.IntegerField(source="proposal.space_hours_quota")
    hours_used = serializers.FloatField(
        help_text="Hours of the project's bookings that are pending, confirmed, attended or missed."
    )
    hours_left = serializers.FloatField()
    rooms = ProjectRoomSerializer(many=True, help_text="Rooms of the call's district the project may book.")
    bookings = BookingSerializer(many=True, help_text="The project's bookings, by any member, by start.")


class ProjectBookingInSerializer(serializers.Serializer):
    room = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="One of the project's rooms (GET bookings/)."
    )
    starts_at = SeoulDateTimeField(help_text="ISO 8601; without an offset it is read as Seoul time.")
    ends_at = SeoulDateTimeField(help_text="ISO 8601; without an offset it is read as Seoul time.")
    headcount = serializers.IntegerField(min_value=1, max_value=500)
    purpose = serializers.CharField(max_length=200, validators=[refuse_identifiers])


class ReviewInSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, validators=[refuse_identifiers]
    )
