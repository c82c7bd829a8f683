"""Safety kits over the API for residents: their district's offer, and their own requests (submit,
cancel, ask to reschedule the visit, answer the survey).

Every change goes through safety.services; a refusal (SafetyError, or the profile check's HouseholdError)
propagates to portal.api.errors, which answers in the house error format:

    {"error": {"status": 409, "code": "invalid_transition", "message": "…"}}
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from households.selectors import household_for
from portal.api.errors import error_response
from portal.i18n import localized

from ..models import KitRequest
from ..selectors import offer_eligibility, offer_for, stock_levels
from ..services import (
    CANCELLABLE,
    SafetyError,
    kit_request_cancel,
    kit_request_submit,
    survey_submit,
    visit_reschedule_request,
)
from .serializers import (
    KitRequestCreateSerializer,
    KitRequestSerializer,
    KitRescheduleSerializer,
    KitSurveySerializer,
    OfferSerializer,
    with_related,
)


class OfferView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="My district's kit offer",
        description="The items (with whether they are in stock), the limit and your eligibility.",
        responses={
            200: OfferSerializer,
            403: error_response("Not logged in."),
            404: error_response("No offer."),
        },
        tags=["safety"],
    )
    def get(self, request: Request) -> Response:
        household = household_for(request.user)
        offer = offer_for(household.district_id) if household else None
        if offer is None:
            raise SafetyError("not_found", _("Your district has no kit offer."))
        levels = stock_levels(offer.district_id, [item.pk for item in offer.offered_items])
        for item in offer.offered_items:
            item.available = levels.get(item.pk, 0) > 0
        outcome = offer_eligibility(offer, household)
        open_request = (
            KitRequest.objects.filter(household=household, status__in=CANCELLABLE)
            .values_list("pk", flat=True)
            .first()
        )
        data = {
            "district": offer.district.code,
            "district_name": str(offer.district),
            "is_active": offer.is_active,
            "max_items": offer.max_items,
            "priority_notes": localized(offer, "priority_notes"),
            "items": offer.offered_items,
            "eligibility": outcome.as_dict() if outcome else None,
            "open_request": open_request,
        }
        return Response(OfferSerializer(data).data)


RESIDENT_REFUSALS = {403: error_response("Not logged in."), 404: error_response("Not one of yours.")}


@extend_schema_view(
    list=extend_schema(summary="My kit requests", tags=["safety"]),
    retrieve=extend_schema(
        summary="One of my kit requests",
        responses={200: KitRequestSerializer, **RESIDENT_REFUSALS},
        tags=["safety"],
    ),
)
class KitRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = KitRequestSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[KitRequest]:
        if getattr(self, "swagger_fake_view", False):
            return KitRequest.objects.none()
        return with_related(KitRequest.objects.filter(household__user=self.request.user)).order_by(
            "-created_at", "-id"
        )

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(KitRequestSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        summary="Request a kit",
        request=KitRequestCreateSerializer,
        responses={
            201: KitRequestSerializer,
            400: error_response(
                "Invalid input, or refused: duplicate, no_offer, too_many_items, window_in_past …"
            ),
            403: error_response("Not logged in."),
        },
        tags=["safety"],
    )
    def create(self, request: Request) -> Response:
        serializer = KitRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kit_request = kit_request_submit(
            user=request.user,
            item_ids=data["items"],
            windows=[dict(w) for w in data["windows"]],
            request=request,
        )
        return self._detail(kit_request.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel",
        request=None,
        responses={
            200: KitRequestSerializer,
            409: error_response("Already installed or closed."),
            **RESIDENT_REFUSALS,
        },
        tags=["safety"],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        kit_request_cancel(user=request.user, kit_request=kit_request, request=request)
        return self._detail(kit_request.pk)

    @extend_schema(
        summary="Ask to reschedule the visit",
        request=KitRescheduleSerializer,
        responses={
            200: KitRequestSerializer,
            409: error_response("No scheduled visit."),
            **RESIDENT_REFUSALS,
        },
        tags=["safety"],
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        serializer = KitRescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit_reschedule_request(
            user=request.user,
            kit_request=kit_request,
            note=serializer.validated_data["note"],
            request=request,
        )
        return self._detail(kit_request.pk)

    @extend_schema(
        summary="Answer the satisfaction survey",
        description="Once, after installation.",
        request=KitSurveySerializer,
        responses={200: KitRequestSerializer, 409: error_response("Not installed yet."), **RESIDENT_REFUSALS},
        tags=["safety"],
    )
    @action(detail=True, methods=["post"])
    def survey(self, request: Request, pk: str | None = None) -> Response:
        kit_request = self.get_object()
        serializer = KitSurveySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey_submit(
            user=request.user,
            kit_request=kit_request,
            rating=serializer.validated_data["rating"],
            comment=serializer.validated_data.get("comment", ""),
        )
        return self._detail(kit_request.pk)
