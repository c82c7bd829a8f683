"""The benefits API: residents read their awards (payments, claims) and send claims with a receipt;
district staff list their district's claims (names masked), approve an amount within the cap and the
budget or reject, and read budget execution per program. Refusals answer in the house error shape
(portal.api.errors): 409 over_budget / over_cap / duplicate / invalid_transition, 400 bad input."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import OldestFirstPagination, StaffModelPermission

from ..models import COMMITTED_STATUSES, Award, BenefitTerms, Claim, Payment, PaymentStatus
from ..services import BenefitsError, claim_approve, claim_reject, claim_submit
from .serializers import (
    ApproveSerializer,
    AwardSerializer,
    ClaimCreateSerializer,
    ClaimSerializer,
    ExecutionSerializer,
    RejectSerializer,
    StaffClaimSerializer,
)

MINE = {403: error_response("Not logged in."), 404: error_response("Not one of yours.")}
STAFF = {
    403: error_response("Not logged in, not staff, or without the permission."),
    404: error_response("Not a claim of your district."),
}


@extend_schema_view(
    list=extend_schema(summary="My cash benefits", tags=["benefits"]),
    retrieve=extend_schema(
        summary="One of my cash benefits", responses={200: AwardSerializer, **MINE}, tags=["benefits"]
    ),
)
class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AwardSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Award]:
        if getattr(self, "swagger_fake_view", False):
            return Award.objects.none()
        return (
            Award.objects.filter(household__user=self.request.user)
            .select_related("terms__program")
            .prefetch_related(
                Prefetch("payments", queryset=Payment.objects.order_by("due_on", "pk")),
                Prefetch("claims", queryset=Claim.objects.order_by("-submitted_at")),
            )
            .order_by("-created_at", "-pk")
        )


@extend_schema_view(
    list=extend_schema(summary="My claims", tags=["benefits"]),
    retrieve=extend_schema(
        summary="One of my claims", responses={200: ClaimSerializer, **MINE}, tags=["benefits"]
    ),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClaimSerializer
    parser_classes = [MultiPartParser, FormParser]  # the only write is a claim with its receipt file
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Claim]:
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        return Claim.objects.filter(award__household__user=self.request.user).order_by("-submitted_at", "-pk")

    @extend_schema(
        summary="Claim with a receipt",
        request={"multipart/form-data": ClaimCreateSerializer},
        responses={
            201: ClaimSerializer,
            400: error_response("Invalid input, a refused file (invalid_file) or date (invalid_date)."),
            403: error_response("Not logged in, or the application is not approved (not_awarded)."),
            404: error_response("Not one of your awards."),
            409: error_response("duplicate (the receipt or the year is claimed already), or stopped."),
        },
        tags=["benefits"],
    )
    def create(self, request: Request) -> Response:
        serializer = ClaimCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        award = (
            Award.objects.select_related("terms", "household")
            .filter(pk=data["award"], household__user=request.user)
            .first()
        )
        if award is None:
            raise BenefitsError("not_found", _("Benefit not found."), field="award")
        claim = claim_submit(
            user=request.user,
            award=award,
            issuer=data["issuer"],
            receipt_number=data["receipt_number"],
            receipt_date=data["receipt_date"],
            receipt_amount=data["receipt_amount"],
            upload=data["receipt"],
            request=request,
        )
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class StaffClaimPermission(StaffModelPermission):
    view_permission = "benefits.view_claim"
    change_permission = "benefits.change_claim"


@extend_schema_view(
    list=extend_schema(
        summary="Claims of my district", description="Names are masked.", tags=["benefits-staff"]
    ),
    retrieve=extend_schema(
        summary="One claim", responses={200: StaffClaimSerializer, **STAFF}, tags=["benefits-staff"]
    ),
)
class StaffClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffClaimPermission]
    serializer_class = StaffClaimSerializer
    pagination_class = OldestFirstPagination
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Claim]:
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        return Claim.objects.visible_to(self.request.user).select_related("award__household", "award__terms")

    @extend_schema(
        summary="Approve an amount",
        request=ApproveSerializer,
        responses={
            200: StaffClaimSerializer,
            400: error_response("Invalid amount."),
            **STAFF,
            409: error_response("over_cap, over_budget, no_budget, stopped or invalid_transition."),
        },
        tags=["benefits-staff"],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_approve(
            claim=claim, amount=serializer.validated_data["amount"], actor=request.user, request=request
        )
        return Response(StaffClaimSerializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(
        summary="Reject",
        request=RejectSerializer,
        responses={
            200: StaffClaimSerializer,
            400: error_response("A reason is required."),
            **STAFF,
            409: error_response("invalid_transition."),
        },
        tags=["benefits-staff"],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_reject(
            claim=claim, reason=serializer.validated_data["reason"], actor=request.user, request=request
        )
        return Response(StaffClaimSerializer(self.get_queryset().get(pk=claim.pk)).data)


class ExecutionPermission(StaffModelPermission):
    view_permission = "benefits.view_benefitterms"
    change_permission = "benefits.change_benefitterms"


@extend_schema_view(
    list=extend_schema(
        summary="Budget execution (집행률)",
        description=(
            "Per cash program of your district: budget, committed (approved, not yet paid) and paid, in won."
        ),
        responses={200: ExecutionSerializer(many=True), 403: STAFF[403]},
        tags=["benefits-staff"],
    ),
)
class ExecutionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [ExecutionPermission]
    serializer_class = ExecutionSerializer
    pagination_class = None
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BenefitTerms.objects.none()
        return execution_rows(BenefitTerms.objects.visible_to(self.request.user))

    def list(self, request: Request) -> Response:
        return Response(ExecutionSerializer(self.get_queryset(), many=True).data)


def execution_rows(terms: QuerySet[BenefitTerms]) -> list[dict]:
    """Budget, committed and paid per program, in one query."""
    rows = (
        terms.annotate(
            committed=Sum("payments__amount", filter=Q(payments__status__in=COMMITTED_STATUSES), default=0),
            paid=Sum("payments__amount", filter=Q(payments__status=PaymentStatus.PAID), default=0),
        )
        .values(
            "program_id", "program__title", "kind", "budget_line_code", "program__budget", "committed", "paid"
        )
        .order_by("program__title")
    )
    return [
        {
            "program": row["program_id"],
            "program_title": row["program__title"],
            "kind": row["kind"],
            "budget_line_code": row["budget_line_code"],
            "budget": row["program__budget"],
            "committed": row["committed"],
            "paid": row["paid"],
            "rate": round(row["paid"] * 100 / row["program__budget"], 1) if row["program__budget"] else None,
        }
        for row in rows
    ]
