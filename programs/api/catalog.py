"""Programs API: the catalog with the page's filters, and eligibility for the logged-in resident."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from households.selectors import household_for
from portal.api.caching import SharedCacheMixin
from portal.api.fields import LocalizedField

from ..filters import ProgramFilter
from ..models import PolicyMilestone, PolicyOfficial, Program
from ..selectors import eligibility_for, programs_may_qualify, public_programs


class ProgramListSerializer(serializers.ModelSerializer):
    title = LocalizedField("title")
    summary = LocalizedField("summary")
    owner = serializers.CharField(source="owner_name", read_only=True)
    district = serializers.CharField(source="district.code", default=None, read_only=True)
    city = serializers.CharField(source="city.code", read_only=True)
    is_open = serializers.BooleanField(source="is_open_now", read_only=True)
    url = serializers.URLField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Program
        fields = (
            "id",
            "slug",
            "title",
            "summary",
            "category",
            "for_youth",
            "for_middle_aged",
            "for_seniors",
            "for_women",
            "benefit_type",
            "selection_method",
            "capacity",
            "application_start",
            "application_end",
            "period_note",
            "status",
            "is_open",
            "city",
            "district",
            "owner",
            "url",
        )


class OfficialSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyOfficial
        fields = ("department", "position", "name")


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyMilestone
        fields = ("start", "end", "description", "people")


class ProgramDetailSerializer(ProgramListSerializer):
    target_text = LocalizedField("target_text")
    benefit_text = LocalizedField("benefit_text")
    officials = OfficialSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta(ProgramListSerializer.Meta):
        fields = (
            *ProgramListSerializer.Meta.fields,
            "target_text",
            "benefit_text",
            "selection_text",
            "how_to_apply",
            "required_documents",
            "department",
            "contact",
            "legal_basis",
            "policy_number",
            "policy_background",
            "policy_period",
            "officials",
            "milestones",
            "rule_version",
        )


OutcomeSerializer = inline_serializer(
    "EligibilityOutcome",
    fields={
        "verdict": serializers.ChoiceField(choices=["eligible", "ineligible", "needs_info"]),
        "rule_version": serializers.IntegerField(),
        "lines": inline_serializer(
            "EligibilityLine",
            fields={
                "criterion": serializers.IntegerField(allow_null=True),
                "passed": serializers.BooleanField(allow_null=True),
                "rule": serializers.CharField(),
                "comparison": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class IsResidentWithProfile(permissions.IsAuthenticated):
    message = "Log in as a resident to check eligibility."


class ProgramViewSet(
    SharedCacheMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The public program catalog. Filters match the catalog page's.

    Lists and details carry an ETag and Last-Modified and answer 304 to a matching revalidation;
    anonymous readers share one cached copy per address and language (portal.pagecache)."""

    filterset_class = ProgramFilter
    cache_params = tuple(ProgramFilter.base_filters)
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        queryset = public_programs()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("officials", "milestones")
        return queryset

    def get_serializer_class(self):
        return ProgramDetailSerializer if self.action == "retrieve" else ProgramListSerializer

    def _household(self, request: Request):
        household = household_for(request.user)
        if household is None:
            raise NotFound(_("Register your household profile first: eligibility is judged on it."))
        return household

    @extend_schema(
        summary="Am I eligible?",
        responses={200: OutcomeSerializer, 404: OpenApiResponse(description="No household profile yet")},
    )
    @action(detail=True, methods=["get"], permission_classes=[IsResidentWithProfile], filterset_class=None)
    def eligibility(self, request: Request, pk: str | None = None) -> Response:
        program = self.get_object()
        outcome = eligibility_for(program=program, household=self._household(request))
        return Response(outcome.as_dict())

    @extend_schema(
        summary="Programs I may qualify for",
        responses={200: ProgramListSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="may-qualify",
        permission_classes=[IsResidentWithProfile],
        filterset_class=None,
        pagination_class=None,
    )
    def may_qualify(self, request: Request) -> Response:
        results = programs_may_qualify(household=self._household(request))
        serializer = ProgramListSerializer([program for program, _outcome in results], many=True)
        return Response(serializer.data)
