"""Programs API: the catalog with the page's filters, and eligibility for the logged-in resident."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from households.selectors import household_for
from portal.api.caching import SharedCacheMixin
from portal.api.errors import error_response
from portal.api.fields import LocalizedField, SupportedDateTimeField
from portal.i18n import is_english

from ..filters import ProgramFilter
from ..fragments import detail_urls
from ..models import PolicyMilestone, PolicyOfficial, Program
from ..selectors import eligibility_for, new_for_you, programs_may_qualify, public_programs
from ..services import outreach


class ProgramListSerializer(serializers.ModelSerializer):
    # (A comment, not a docstring: drf-spectacular would publish a docstring in the schema.)
    # A program in the catalog. The declared fields describe it (OpenAPI schema); the rows are written
    # by `to_representation` directly, the same JSON without DRF's per-field machinery (which was half
    # of an uncached catalog API request: 21 fields x 20 rows, and the fields rebuilt from the model on
    # every request). tests/programs/test_programs_api.py compares both ways field by field.
    title = LocalizedField("title")
    summary = LocalizedField("summary")
    owner = serializers.CharField(source="owner_name", read_only=True)
    district = serializers.CharField(
        source="district.code",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="The owning district's code; null for a city-wide program.",
    )
    city = serializers.CharField(source="city.code", read_only=True)
    is_open = serializers.BooleanField(source="is_open_now", read_only=True)
    # A path on this site (e.g. /programs/12/), not an absolute URI.
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="The program's page.")

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

    def to_representation(self, program: Program) -> dict:
        shared = self.context.get("list_row")
        if shared is None:  # once per list: the ListSerializer shares its context with each row
            shared = self.context["list_row"] = (detail_urls(), is_english(), timezone.localdate())
        url, english, today = shared
        start, end = program.application_start, program.application_end
        return {
            "id": program.pk,
            "slug": program.slug,
            "title": (english and program.title_en) or program.title,
            "summary": (english and program.summary_en) or program.summary,
            "category": program.category,
            "for_youth": program.for_youth,
            "for_middle_aged": program.for_middle_aged,
            "for_seniors": program.for_seniors,
            "for_women": program.for_women,
            "benefit_type": program.benefit_type,
            "selection_method": program.selection_method,
            "capacity": program.capacity,
            "application_start": start.isoformat() if start else None,
            "application_end": end.isoformat() if end else None,
            "period_note": program.period_note,
            "status": program.status,
            "is_open": program.is_open_on(today),  # is_open_now, with today read once per list
            "city": program.city.code,
            "district": program.district.code if program.district_id else None,
            "owner": program.owner_name,
            "url": url(program.pk),
        }


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

    def to_representation(self, program: Program) -> dict:
        # The page of one program: DRF's field by field rendering (the list's shortcut covers only
        # the list's fields).
        return serializers.ModelSerializer.to_representation(self, program)

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


NEW_FOR_YOU = inline_serializer(
    name="NewForYou",
    many=True,
    fields={
        "notice": serializers.IntegerField(help_text="The outreach notice (its message's link opens it)."),
        "sent_at": SupportedDateTimeField(),
        "program": ProgramListSerializer(),
        "reasons": inline_serializer(
            name="NewForYouReason",
            many=True,
            fields={"rule": serializers.CharField(), "comparison": serializers.CharField()},
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
        responses={
            200: OutcomeSerializer,
            404: error_response("No such program, or no household profile yet."),
        },
    )
    @action(detail=True, methods=["get"], permission_classes=[IsResidentWithProfile], filterset_class=None)
    def eligibility(self, request: Request, pk: str | None = None) -> Response:
        program = self.get_object()
        outcome = eligibility_for(program=program, household=self._household(request))
        return Response(outcome.as_dict())

    @extend_schema(
        summary="Programs I may qualify for",
        responses={200: ProgramListSerializer(many=True), 404: error_response("No household profile yet.")},
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

    # --- outreach: "new for you" and "not interested" (the web's programs.views.outreach) ---------------

    @extend_schema(
        summary="New for you: programs outreach told me about, with the criteria I meet",
        responses={200: NEW_FOR_YOU, 404: error_response("No household profile yet.")},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="new-for-you",
        permission_classes=[IsResidentWithProfile],
        filterset_class=None,
        pagination_class=None,
    )
    def new_for_you(self, request: Request) -> Response:
        items = new_for_you(self._household(request))
        rows = [
            {
                "notice": item.notice.pk,
                "sent_at": item.notice.sent_at,
                "program": ProgramListSerializer(item.program).data,
                "reasons": [{"rule": line.rule, "comparison": line.comparison} for line in item.reasons],
            }
            for item in items
        ]
        return Response(rows)

    @extend_schema(
        summary="Not interested: never suggest this program again (DELETE: suggest it again)",
        request=None,
        responses={
            204: None,
            404: error_response("No such program, or no household profile yet."),
        },
    )
    @action(
        detail=True,
        methods=["post", "delete"],
        url_path="not-interested",
        permission_classes=[IsResidentWithProfile],
        filterset_class=None,
    )
    def not_interested(self, request: Request, pk: str | None = None) -> Response:
        program = self.get_object()
        household = self._household(request)
        if request.method == "DELETE":
            outreach.program_undismiss(household=household, program=program)
        else:
            outreach.program_dismiss(household=household, program=program)
        return Response(status=204)
