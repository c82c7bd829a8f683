"""Community building over the API: public calls and selected projects; a group's own proposals
(create, invite, submit, withdraw) and invitations; a selected project's members: its space hours and
bookings, its milestones and their activity reports (multipart); evaluators' proposals (declare, score); staff
proposals of their district (screen, decide, access-logged detail) and a call's ranking.

Every change goes through community.services; a refusal (CommunityError) is answered by
portal.api.errors in the house error shape: {"error": {"status": 409, "code": "over_budget", …}}.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import AccessLoggedRetrieveMixin, StaffModelPermission
from spaces.api.serializers import BookingSerializer
from spaces.models import Booking

from ..models import (
    ActivityReport,
    BudgetLine,
    Call,
    CallStatus,
    ConflictDeclaration,
    Milestone,
    Proposal,
    ProposalMember,
    ProposalStatus,
    ScoreSheet,
)
from ..selectors import (
    invitations_for,
    member_milestones,
    member_projects,
    project_rooms,
    proposals_of,
    public_calls,
    public_projects,
)
from ..services import (
    call_advance,
    conflict_declare,
    hours_used,
    member_invite,
    member_respond,
    milestone_add,
    payment_record,
    project_book,
    proposal_create,
    proposal_decide,
    proposal_screen,
    proposal_submit,
    proposal_withdraw,
    ranking,
    report_review,
    report_submit,
    scoresheet_submit,
    visit_note_add,
)
from .serializers import (
    ActivityReportSerializer,
    CallSerializer,
    DecideSerializer,
    DeclareSerializer,
    EvaluationSerializer,
    InvitationAnswerSerializer,
    InvitationSerializer,
    InviteSerializer,
    MilestoneInSerializer,
    PaymentInSerializer,
    ProjectBookingInSerializer,
    ProjectBookingsSerializer,
    ProjectMilestoneSerializer,
    ProposalInSerializer,
    ProposalSerializer,
    PublicProjectSerializer,
    RankingRowSerializer,
    ReportInSerializer,
    ReviewInSerializer,
    ScoreInSerializer,
    ScreenSerializer,
    StaffProposalSerializer,
    StaffReportSerializer,
    VisitNoteInSerializer,
)

TAGS = ["community"]
MINE = {403: error_response("Not logged in."), 404: error_response("Not one of yours.")}
PROJECT = {
    403: error_response("Not logged in."),
    404: error_response("Not a selected project of which you are a confirmed member."),
}
MILESTONE = {
    403: error_response("Not logged in."),
    404: error_response("Not a milestone of a project of which you are a confirmed member."),
}


@extend_schema_view(
    list=extend_schema(summary="Calls for community proposals", tags=TAGS),
    retrieve=extend_schema(
        summary="One call",
        responses={200: CallSerializer, 404: error_response("No such call.")},
        tags=TAGS,
    ),
)
class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Public: every call past its draft, with its categories and rubric."""

    permission_classes = [permissions.AllowAny]
    serializer_class = CallSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Call]:
        return public_calls().prefetch_related("categories", "criteria").order_by("-opens_at", "-pk")


@extend_schema_view(list=extend_schema(summary="Selected projects and their results", tags=TAGS))
class ProjectViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Public: selected projects of announced calls, by the group's public name only. Members: their
    project's space hours (bookings/)."""

    serializer_class = PublicProjectSerializer
    lookup_value_regex = r"\d+"

    def get_permissions(self):
        if self.action == "bookings":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def get_queryset(self) -> QuerySet[Proposal]:
        if self.action != "bookings":
            return public_projects()
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return member_projects(self.request.user)

    def _bookings(self, proposal: Proposal) -> dict:
        used = hours_used(proposal)
        bookings = (
            Booking.objects.filter(community_project__proposal=proposal)
            .select_related("room__space")
            .order_by("starts_at", "pk")
        )
        return {
            "proposal": proposal,
            "hours_used": used,
            "hours_left": max(proposal.space_hours_quota - used, 0),
            "rooms": project_rooms(proposal),
            "bookings": bookings,
        }

    @extend_schema(
        methods=["GET"],
        summary="My project's space hours and bookings",
        description="For the project's confirmed members, once it is selected.",
        responses={200: ProjectBookingsSerializer, **PROJECT},
        tags=TAGS,
    )
    @extend_schema(
        methods=["POST"],
        summary="Book a room for my project",
        description=(
            "Counted against the project's quota of space hours (409 quota_exceeded when it would pass "
            "it); every rule of the room still applies (opening hours, free slot, notice, capacity: "
            "spaces' codes, e.g. 409 taken). A room that needs approval is booked pending."
        ),
        request=ProjectBookingInSerializer,
        responses={
            201: BookingSerializer,
            400: error_response("Invalid input, invalid_room, or a rule of the room (its code says which)."),
            409: error_response("quota_exceeded, taken, or the project stopped being selected meanwhile."),
            **PROJECT,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def bookings(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        if request.method == "GET":
            return Response(ProjectBookingsSerializer(self._bookings(proposal)).data)
        serializer = ProjectBookingInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        booking = project_book(
            user=request.user,
            proposal_id=proposal.pk,
            room_id=data["room"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            headcount=data["headcount"],
            purpose=data["purpose"],
            request=request,
        )
        booking = Booking.objects.select_related("room__space").get(pk=booking.pk)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Milestones of my projects, with our reports", tags=TAGS),
    retrieve=extend_schema(
        summary="One milestone of my project",
        responses={200: ProjectMilestoneSerializer, **MILESTONE},
        tags=TAGS,
    ),
)
class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The milestones staff set for the projects you are a confirmed member of; report on them here."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProjectMilestoneSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Milestone]:
        if getattr(self, "swagger_fake_view", False):
            return Milestone.objects.none()
        return member_milestones(self.request.user)

    @extend_schema(
        summary="Send an activity report",
        description=(
            "multipart/form-data: text, spent and one `photos` or `receipts` part per file, checked as "
            "on the web form (type, size and content: 400 invalid_file naming the part)."
        ),
        request={"multipart/form-data": ReportInSerializer},
        responses={
            201: ActivityReportSerializer,
            400: error_response("Invalid input, text_required, invalid_amount or invalid_file."),
            409: error_response("The project is no longer selected."),
            **MILESTONE,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def reports(self, request: Request, pk: str | None = None) -> Response:
        milestone = self.get_object()
        serializer = ReportInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = report_submit(
            user=request.user,
            milestone_id=milestone.pk,
            text=data["text"],
            spent=data["spent"],
            photos=data.get("photos", []),
            receipts=data.get("receipts", []),
            request=request,
        )
        report = (
            ActivityReport.objects.select_related("milestone").prefetch_related("files").get(pk=report.pk)
        )
        return Response(ActivityReportSerializer(report).data, status=status.HTTP_201_CREATED)


def _proposal_related(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return queryset.select_related("call", "category").prefetch_related(
        "budget_lines",
        Prefetch("members", queryset=ProposalMember.objects.order_by("invited_at", "pk")),
    )


@extend_schema_view(
    list=extend_schema(summary="My proposals (as lead or confirmed member)", tags=TAGS),
    retrieve=extend_schema(
        summary="One of my proposals", responses={200: ProposalSerializer, **MINE}, tags=TAGS
    ),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProposalSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Proposal]:
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return _proposal_related(proposals_of(self.request.user))

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        summary="Draft a proposal",
        description="You are the lead. The budget lines' total stays within the call's per-project limit.",
        request=ProposalInSerializer,
        responses={
            201: ProposalSerializer,
            400: error_response("Invalid input or refused (not_open, over_limit …)."),
            403: error_response("Not logged in."),
        },
        tags=TAGS,
    )
    def create(self, request: Request) -> Response:
        serializer = ProposalInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        proposal = proposal_create(
            user=request.user,
            call_id=data.pop("call"),
            category_id=data.pop("category"),
            budget_lines=[dict(line) for line in data.pop("budget_lines")],
            request=request,
            **data,
        )
        return self._detail(proposal.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Invite a member",
        description="By the email address of their resident account; they confirm through /invitations/.",
        request=InviteSerializer,
        responses={
            200: ProposalSerializer,
            400: error_response("Unknown address."),
            409: error_response("Not a draft."),
            **MINE,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member_invite(
            user=request.user,
            proposal=proposal,
            email=serializer.validated_data["email"],
            request=request,
        )
        return self._detail(proposal.pk)

    @extend_schema(
        summary="Submit before the deadline",
        request=None,
        responses={
            200: ProposalSerializer,
            400: error_response("too_few_members, over_limit."),
            409: error_response("deadline_passed, or not a draft."),
            **MINE,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        proposal_submit(user=request.user, proposal=proposal, request=request)
        return self._detail(proposal.pk)

    @extend_schema(
        summary="Withdraw",
        request=None,
        responses={200: ProposalSerializer, 409: error_response("Already decided."), **MINE},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        proposal_withdraw(user=request.user, proposal=proposal, request=request)
        return self._detail(proposal.pk)


@extend_schema_view(list=extend_schema(summary="Invitations waiting for my answer", tags=TAGS))
class InvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = InvitationSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ProposalMember]:
        if getattr(self, "swagger_fake_view", False):
            return ProposalMember.objects.none()
        return invitations_for(self.request.user).order_by("-invited_at", "-pk")

    @extend_schema(
        summary="Join the group or decline",
        request=InvitationAnswerSerializer,
        responses={
            200: InvitationSerializer,
            404: error_response("No such invitation."),
            409: error_response("Already answered."),
            403: error_response("Not logged in."),
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        serializer = InvitationAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = member_respond(
            user=request.user,
            member_id=int(pk),
            accept=serializer.validated_data["accept"],
            request=request,
        )
        return Response(InvitationSerializer(member).data)


# --- evaluators ---


@extend_schema_view(
    list=extend_schema(summary="Proposals of the calls I evaluate", tags=TAGS),
    retrieve=extend_schema(
        summary="A proposal to evaluate",
        description="`sheets` stays null until you have sent your own score sheet for it.",
        responses={
            200: EvaluationSerializer,
            403: error_response("Not logged in."),
            404: error_response("Not yours to evaluate."),
        },
        tags=TAGS,
    ),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = EvaluationSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Proposal]:
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        user = self.request.user
        mine = ConflictDeclaration.objects.filter(proposal=OuterRef("pk"), evaluator=user)
        return (
            Proposal.objects.filter(call__appointments__user=user)
            .exclude(status__in=(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN))
            .select_related("call", "category")
            .prefetch_related("budget_lines", "call__criteria")
            .annotate(
                declared=Exists(mine),
                conflicted=Exists(mine.filter(conflicted=True)),
                scored=Exists(ScoreSheet.objects.filter(proposal=OuterRef("pk"), evaluator=user)),
            )
            .order_by("call_id", "submitted_at", "pk")
        )

    def _detail(self, pk: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="Declare a conflict of interest (or none)",
        request=DeclareSerializer,
        responses={
            200: EvaluationSerializer,
            400: error_response("Already declared."),
            403: error_response("Not logged in."),
            404: error_response("Not yours to evaluate."),
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def declare(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = DeclareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conflict_declare(
            user=request.user, proposal_id=proposal.pk, request=request, **serializer.validated_data
        )
        return self._detail(proposal.pk)

    @extend_schema(
        summary="Send my score sheet",
        description="Once, whole: every criterion of the call, 0–10 points. Refused after a conflict.",
        request=ScoreInSerializer,
        responses={
            200: EvaluationSerializer,
            400: error_response("invalid_scores, conflict_first."),
            409: error_response("already_scored, conflicted, scoring not open."),
            403: error_response("Not logged in."),
            404: error_response("Not yours to evaluate."),
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = ScoreInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scoresheet_submit(
            user=request.user, proposal_id=proposal.pk, request=request, **serializer.validated_data
        )
        return self._detail(proposal.pk)


# --- staff ---


class StaffCommunityPermission(StaffModelPermission):
    view_permission = "community.view_proposal"
    change_permission = "community.change_proposal"


STAFF = {403: error_response("Not district staff."), 404: error_response("Not in your district.")}


@extend_schema_view(
    list=extend_schema(summary="Proposals of my district's calls", tags=TAGS),
    retrieve=extend_schema(
        summary="A proposal in full (access-logged)",
        responses={200: ProposalSerializer, **STAFF},
        tags=TAGS,
    ),
)
class StaffProposalViewSet(
    AccessLoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [StaffCommunityPermission]
    lookup_value_regex = r"\d+"
    access_log_action = "community.proposal.viewed"

    def get_serializer_class(self):
        return ProposalSerializer if self.action == "retrieve" else StaffProposalSerializer

    def access_log_subject(self, obj: Proposal):
        return obj.lead_id, obj.call.district

    def get_queryset(self) -> QuerySet[Proposal]:
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        requested = (
            BudgetLine.objects.filter(proposal=OuterRef("pk"))
            .order_by()
            .values("proposal")
            .annotate(t=Sum("amount"))
        )
        queryset = (
            Proposal.objects.visible_to(self.request.user)
            .exclude(status=ProposalStatus.DRAFT)
            .annotate(requested=Subquery(requested.values("t")))
            .order_by("-submitted_at", "-pk")
        )
        if self.action == "retrieve":
            queryset = _proposal_related(queryset.select_related("call__district"))
        return queryset

    @extend_schema(
        summary="Screen for eligibility",
        request=ScreenSerializer,
        responses={
            200: StaffProposalSerializer,
            400: error_response("reason_required."),
            409: error_response("Screening is over."),
            **STAFF,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def screen(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = ScreenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal_screen(proposal=proposal, actor=request.user, request=request, **serializer.validated_data)
        return Response(StaffProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(
        summary="Select or not select",
        description="The call's row is locked: the selected total never passes the budget (409 over_budget).",
        request=DecideSerializer,
        responses={
            200: StaffProposalSerializer,
            400: error_response("invalid_amount."),
            409: error_response("over_budget, or the call is not in selection."),
            **STAFF,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal_decide(proposal=proposal, actor=request.user, request=request, **serializer.validated_data)
        return Response(StaffProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    def _staff_detail(self, pk: int) -> Response:
        return Response(StaffProposalSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="Attach a field-visit note",
        request=VisitNoteInSerializer,
        responses={200: StaffProposalSerializer, 400: error_response("note_required."), **STAFF},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="visit-notes")
    def visit_notes(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = VisitNoteInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit_note_add(proposal=proposal, actor=request.user, request=request, **serializer.validated_data)
        return self._staff_detail(proposal.pk)

    @extend_schema(
        summary="Add a milestone (selected projects)",
        request=MilestoneInSerializer,
        responses={
            200: StaffProposalSerializer,
            400: error_response("title_required."),
            409: error_response("Not selected."),
            **STAFF,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = MilestoneInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone_add(proposal=proposal, actor=request.user, **serializer.validated_data)
        return self._staff_detail(proposal.pk)

    @extend_schema(
        summary="Record a payment of the grant",
        description="Payments never add up to more than the grant (400 invalid_amount).",
        request=PaymentInSerializer,
        responses={
            200: StaffProposalSerializer,
            400: error_response("invalid_amount."),
            409: error_response("Not selected."),
            **STAFF,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def payments(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        serializer = PaymentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment_record(proposal=proposal, actor=request.user, request=request, **serializer.validated_data)
        return self._staff_detail(proposal.pk)


@extend_schema_view(
    list=extend_schema(summary="Activity reports of my district's projects", tags=TAGS),
    retrieve=extend_schema(
        summary="One activity report", responses={200: StaffReportSerializer, **STAFF}, tags=TAGS
    ),
)
class StaffReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffCommunityPermission]
    serializer_class = StaffReportSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ActivityReport]:
        if getattr(self, "swagger_fake_view", False):
            return ActivityReport.objects.none()
        return (
            ActivityReport.objects.filter(
                milestone__proposal__in=Proposal.objects.visible_to(self.request.user)
            )
            .select_related("milestone")
            .prefetch_related("files")
            .order_by("-submitted_at", "-pk")
        )

    @extend_schema(
        summary="Accept, or return with a note",
        request=ReviewInSerializer,
        responses={
            200: StaffReportSerializer,
            400: error_response("note_required."),
            409: error_response("Already reviewed."),
            **STAFF,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        serializer = ReviewInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report_review(
            report=report,
            actor=request.user,
            accept=data["accept"],
            note=data.get("note", ""),
            request=request,
        )
        return Response(StaffReportSerializer(self.get_queryset().get(pk=report.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="My district's calls", tags=TAGS),
    retrieve=extend_schema(summary="One call", responses={200: CallSerializer, **STAFF}, tags=TAGS),
)
class StaffCallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffCommunityPermission]
    serializer_class = CallSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Call]:
        if getattr(self, "swagger_fake_view", False):
            return Call.objects.none()
        return (
            Call.objects.visible_to(self.request.user)
            .select_related("district")
            .prefetch_related("categories", "criteria")
            .order_by("-opens_at", "-pk")
        )

    @extend_schema(
        summary="The ranking",
        description="Empty until scoring closes (the scores stay hidden while evaluators score).",
        responses={200: RankingRowSerializer(many=True), **STAFF},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def ranking(self, request: Request, pk: str | None = None) -> Response:
        call = self.get_object()
        rows = ranking(call) if call.status in (CallStatus.DECIDING, CallStatus.ANNOUNCED) else []
        return Response(RankingRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="Move the call to its next step",
        description="publish → close submissions → close scoring → announce (groups told with their score).",
        request=None,
        responses={
            200: CallSerializer,
            400: error_response("invalid_rubric, undecided."),
            409: error_response("Already announced."),
            **STAFF,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        call = call_advance(call=self.get_object(), actor=request.user, request=request)
        return Response(CallSerializer(self.get_queryset().get(pk=call.pk)).data)
