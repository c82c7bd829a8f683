"""The benefits API: residents read their awards (payments, claims) and send claims with a receipt;
district staff list their district's claims (names masked), approve an amount within the cap and the
budget or reject, and read budget execution per program. Refusals answer in the house error shape
(portal.api.errors): 409 over_budget / over_cap / duplicate / invalid_transition, 400 bad input."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.staff import OldestFirstPagination, StaffModelPermission

from ..exports import batch_download
from ..models import COMMITTED_STATUSES, Award, BenefitTerms, Claim, Payment, PaymentBatch, PaymentStatus
from ..services import (
    BenefitsError,
    batch_create,
    batch_mark_paid,
    claim_approve,
    claim_reject,
    claim_submit,
    payment_approve,
    payment_settle,
)
from .serializers import (
    ApproveSerializer,
    AwardSerializer,
    BatchPaidSerializer,
    BatchSerializer,
    ClaimCreateSerializer,
    ClaimSerializer,
    ExecutionSerializer,
    RejectSerializer,
    SettleSerializer,
    StaffClaimSerializer,
    StaffPaymentSerializer,
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


class DueFirstPagination(OldestFirstPagination):
    ordering = ("due_on", "id")


class NewestFirstPagination(OldestFirstPagination):
    ordering = ("-created_at", "-id")


class StaffPaymentPermission(StaffModelPermission):
    view_permission = "benefits.view_payment"
    change_permission = "benefits.change_payment"


PAYMENT_REFUSALS = {**STAFF, 404: error_response("Not a payment of your district.")}


@extend_schema_view(
    list=extend_schema(
        summary="Payments of my district",
        description="Names and accounts masked. Oldest due first.",
        tags=["benefits-staff"],
    ),
    retrieve=extend_schema(
        summary="One payment",
        responses={200: StaffPaymentSerializer, **PAYMENT_REFUSALS},
        tags=["benefits-staff"],
    ),
)
class StaffPaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffPaymentPermission]
    serializer_class = StaffPaymentSerializer
    pagination_class = DueFirstPagination
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Payment]:
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        return Payment.objects.visible_to(self.request.user).select_related(
            "terms", "award__household__bank_account"
        )

    def _detail(self, pk: int) -> Response:
        return Response(StaffPaymentSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="Approve (commits the budget)",
        request=None,
        responses={
            200: StaffPaymentSerializer,
            **PAYMENT_REFUSALS,
            409: error_response(
                "over_budget, no_budget, stopped, reverification_open or invalid_transition."
            ),
        },
        tags=["benefits-staff"],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        payment = self.get_object()
        payment_approve(payment=payment, actor=request.user, request=request)
        return self._detail(payment.pk)

    @extend_schema(
        summary="Record what the bank reported (paid or returned)",
        request=SettleSerializer,
        responses={
            200: StaffPaymentSerializer,
            400: error_response("Invalid input, or reason_required for a return."),
            **PAYMENT_REFUSALS,
            409: error_response("invalid_transition: only a sent payment is paid or returned."),
        },
        tags=["benefits-staff"],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def settle(self, request: Request, pk: str | None = None) -> Response:
        payment = self.get_object()
        serializer = SettleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment_settle(
            payment=payment,
            paid=data["outcome"] == "paid",
            reason=data.get("reason", ""),
            actor=request.user,
            request=request,
        )
        return self._detail(payment.pk)


class StaffBatchPermission(StaffModelPermission):
    view_permission = "benefits.view_paymentbatch"
    change_permission = "benefits.change_paymentbatch"

    def has_permission(self, request: Request, view) -> bool:
        if getattr(view, "action", None) == "download":
            # Taking the file is a read, as in the admin (the view permission); whether it is masked is
            # portal.export_personal_data's (benefits.exports.batch_download).
            view = SimpleNamespace(action="retrieve")
        return super().has_permission(request, view)


BATCH_REFUSALS = {403: STAFF[403], 404: error_response("Not a payment batch of your district.")}


@extend_schema_view(
    list=extend_schema(
        summary="Payment batches of my district",
        description="Each batch's bank-transfer file is at download/.",
        tags=["benefits-staff"],
    ),
)
class StaffBatchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffBatchPermission]
    serializer_class = BatchSerializer
    pagination_class = NewestFirstPagination
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[PaymentBatch]:
        if getattr(self, "swagger_fake_view", False):
            return PaymentBatch.objects.none()
        return PaymentBatch.objects.visible_to(self.request.user)

    @extend_schema(
        summary="Build a batch",
        description="Every approved payment of your district whose household gave a bank account is put in "
        "the batch and marked sent, exactly once.",
        request=None,
        responses={
            201: BatchSerializer,
            400: error_response("no_district: a city administrator has no district to pay from."),
            403: STAFF[403],
            409: error_response("nothing_to_send."),
        },
        tags=["benefits-staff"],
    )
    def create(self, request: Request) -> Response:
        if request.user.district is None:
            raise BenefitsError("no_district", _("Only district staff build a district's batch."))
        batch = batch_create(district=request.user.district, actor=request.user, request=request)
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The bank-transfer file (CSV)",
        description=(
            "The batch's file for the bank's bulk transfer (대량이체), streamed as CSV (UTF-8 with a "
            "byte-order mark): a header line, one line per payment (bank_code, account_number, "
            "account_holder, amount, memo) and a control line (TOTAL, count, total in won, batch "
            "reference). Account numbers and holders are masked unless you hold "
            "portal.export_personal_data. Every download is audited; an unmasked one is also shown to "
            "each resident in the batch in their record of who read their data. Never cached."
        ),
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file."),
            **BATCH_REFUSALS,
        },
        tags=["benefits-staff"],
    )
    @action(detail=True, methods=["get"], filterset_class=None, renderer_classes=[JSONRenderer])
    def download(self, request: Request, pk: str | None = None) -> StreamingHttpResponse:
        return batch_download(request, self.get_object())

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # A download client may Accept text/csv: the file is served as it is, and a refusal is JSON
        # (the API's error shape) rather than a 406.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(
        summary="The bank paid this batch",
        description="Every payment of the batch still sent is marked paid (record returns first: a "
        "returned payment stays returned). Repeating it marks nothing more (paid: 0).",
        request=None,
        responses={200: BatchPaidSerializer, **BATCH_REFUSALS},
        tags=["benefits-staff"],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def paid(self, request: Request, pk: str | None = None) -> Response:
        batch = self.get_object()
        count = batch_mark_paid(batch=batch, actor=request.user, request=request)
        return Response(BatchPaidSerializer({"batch": batch, "paid": count}).data)
