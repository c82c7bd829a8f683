"""Exports over the staff API: the data sets a user may export, start a job, follow it, download its file.

The same mechanism as the export pages, never a second copy: the request is validated by the pages'
ExportForm (its choices are scoped to the user: programs, 행정동 and statuses), the export is started by
services.export_run (the exporter refuses a data set the role may not view and unmasked data without
portal.export_personal_data), the job runs as the pages' jobs do and writes the one `export.created`
access-log event, and the download goes through the pages' checks and serve_private.

Unlike the pages, the API always makes a job, even for a few rows, so every client has one flow:
POST (202 + Location) → poll GET until `status` is done → GET the `download` link.

A job is its owner's alone: anyone else gets 404. A download answers 409 while the job is queued or
running (or when it failed), and 410 once its file has expired.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response
from portal.api.fields import SupportedDateField
from portal.api.parsers import BoundedJSONParser
from portal.api.staff import OldestFirstPagination
from portal.files import serve_private
from portal.roles import STAFF_ROLES
from reports.models import ExportJob

from .base import PERSONAL_PERMISSION, Exporter, ExportRefused, choice_labels
from .exporters import EXPORTERS, exporters_for, get_exporter
from .filters import ExportForm
from .services import export_run, job_download_check, job_download_log, job_download_name
from .views import CONTENT_TYPES

FILTER_NAMES = ("date_from", "date_to", "status", "program", "district", "neighbourhood")


class ExportPermission(permissions.BasePermission):
    """Active district staff (OTP-verified when STAFF_OTP_REQUIRED is on, as on the export pages) whose
    role may export at least one data set. Which data set, and unmasked or not, is the exporter's call."""

    message = gettext_lazy("Only district staff who may export data may use this.")

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if user.role not in STAFF_ROLES:
            return False
        if settings.STAFF_OTP_REQUIRED and not (hasattr(user, "is_verified") and user.is_verified()):
            return False
        return bool(exporters_for(user))


class NewestFirstPagination(OldestFirstPagination):
    """A user's own jobs, newest first, paged by cursor like the other staff lists."""

    ordering = ("-created_at", "-id")


# --- serializers ------------------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The `dataset` to send when starting an export.")
    label = serializers.CharField()
    formats = serializers.ListField(child=serializers.ChoiceField(choices=ExportJob.Format.choices))
    filters = serializers.ListField(
        child=serializers.ChoiceField(choices=FILTER_NAMES),
        help_text="The filters this data set accepts (in `filters` when starting an export).",
    )
    statuses = ChoiceSerializer(many=True, help_text="The values `filters.status` accepts.")
    personal_columns = serializers.BooleanField(
        help_text="Whether the file has personal data (masked unless `include_personal`)."
    )
    include_personal_allowed = serializers.BooleanField(
        help_text="Whether you may ask for personal data unmasked (`include_personal`)."
    )


def dataset_description(exporter: type[Exporter], user) -> dict[str, Any]:
    filters = ["date_from", "date_to"]
    if exporter.statuses is not None:
        filters.append("status")
    if exporter.supports_program():
        filters.append("program")
    if user.sees_all_districts:
        filters.append("district")
    if exporter.neighbourhood_lookup:
        filters.append("neighbourhood")
    statuses = choice_labels(exporter.statuses).items() if exporter.statuses is not None else ()
    return {
        "name": exporter.name,
        "label": str(exporter.label),
        "formats": list(ExportJob.Format.values),
        "filters": filters,
        "statuses": [{"value": value, "label": label} for value, label in statuses],
        "personal_columns": exporter.has_personal_columns(),
        "include_personal_allowed": exporter.has_personal_columns() and user.has_perm(PERSONAL_PERMISSION),
    }


class ExportFiltersSerializer(serializers.Serializer):
    date_from = SupportedDateField(required=False, help_text="The first day, inclusive (Korea time).")
    date_to = SupportedDateField(required=False, help_text="The last day, inclusive (Korea time).")
    status = serializers.CharField(required=False, max_length=40, help_text="One of the data set's statuses.")
    program = serializers.IntegerField(required=False, min_value=1, help_text="A program of your district.")
    district = serializers.IntegerField(
        required=False, min_value=1, help_text="City admins only: narrow to one district."
    )
    neighbourhood = serializers.IntegerField(
        required=False, min_value=1, help_text="A 행정동 of your district."
    )

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise ValidationError({key: [_("This filter does not exist.")] for key in unknown})
        return super().to_internal_value(data)


class ExportStartSerializer(serializers.Serializer):
    dataset = serializers.ChoiceField(choices=sorted(EXPORTERS), help_text="See the data sets operation.")
    format = serializers.ChoiceField(choices=ExportJob.Format.choices)
    filters = ExportFiltersSerializer(required=False)
    include_personal = serializers.BooleanField(
        default=False, help_text="Unmasked personal data: needs the permission, else 403."
    )


class ExportLinksSerializer(serializers.Serializer):
    self = serializers.CharField(help_text="This job (a path on this site).")
    download = serializers.CharField(allow_null=True, help_text="The file, once the job is done.")


class ExportJobSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(source="percent", read_only=True, help_text="0–100.")
    rows = serializers.IntegerField(source="rows_done", read_only=True, help_text="Rows written so far.")
    filters = serializers.DictField(read_only=True, help_text="As validated (ISO dates, ids).")
    links = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = (
            "id",
            "dataset",
            "format",
            "filters",
            "include_personal",
            "status",
            "progress",
            "rows",
            "rows_total",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "links",
        )
        read_only_fields = fields

    @extend_schema_field(ExportLinksSerializer)
    def get_links(self, job: ExportJob) -> dict[str, str | None]:
        live = job.expires_at is None or job.expires_at > timezone.now()
        done = job.status == ExportJob.Status.DONE and live
        return {
            "self": reverse("staff-export-detail", args=[job.pk]),
            "download": reverse("staff-export-download", args=[job.pk]) if done else None,
        }


# --- the view ---------------------------------------------------------------------------------------

REFUSED = error_response("Not logged in, not staff, or your role may export no data.")
NOT_YOURS = error_response("No export job of yours has this id.")


@extend_schema_view(
    list=extend_schema(
        summary="My export jobs",
        description="Your own export jobs, newest first.",
        responses={200: ExportJobSerializer(many=True), 403: REFUSED, 404: error_response("Invalid cursor.")},
    ),
    retrieve=extend_schema(
        summary="An export job",
        description="Poll it until `status` is `done` (or `failed`); then follow `links.download`.",
        responses={200: ExportJobSerializer, 403: REFUSED, 404: NOT_YOURS},
    ),
)
class StaffExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ExportPermission]
    pagination_class = NewestFirstPagination
    serializer_class = ExportJobSerializer
    filter_backends: list = []
    parser_classes = [BoundedJSONParser]  # `filters` is an object: JSON only (others get a JSON 415)

    def get_queryset(self) -> QuerySet[ExportJob]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ExportJob.objects.none()
        # A job is its owner's alone (services.job_for_owner, as a queryset).
        return ExportJob.objects.filter(owner=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return ExportStartSerializer
        if self.action == "datasets":
            return DatasetSerializer
        return ExportJobSerializer

    @extend_schema(
        summary="Data sets you may export",
        description="With the filters each accepts and whether you may unmask personal data.",
        responses={200: DatasetSerializer(many=True), 403: REFUSED},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def datasets(self, request: Request) -> Response:
        user = request.user
        return Response([dataset_description(exporter, user) for exporter in exporters_for(user)])

    @extend_schema(
        summary="Start an export",
        description=(
            "Always a background job, whatever its size: answers 202 with the job and its Location. "
            "Every export is written to the access log once (with whether personal data was unmasked)."
        ),
        request=ExportStartSerializer,
        responses={
            202: ExportJobSerializer,
            400: error_response("An unknown data set, format or filter, or a filter value not yours."),
            403: error_response(
                "Not staff, a data set your role may not export, unmasked personal data without the "
                "permission, or another district."
            ),
        },
    )
    def create(self, request: Request) -> Response:
        start = ExportStartSerializer(data=request.data)
        if not start.is_valid():
            raise ValidationError(_dotted(start.errors))
        data = start.validated_data
        user = request.user
        dataset, include_personal = data["dataset"], data["include_personal"]
        filters = data.get("filters") or {}
        # The exporter's own refusals first (403): a data set the role may not view, unmasked data
        # without the permission. Building one runs no query.
        get_exporter(dataset)(user, {}, include_personal=include_personal)
        form = ExportForm(_form_data(user, dataset, data["format"], filters, include_personal), user=user)
        if not form.is_valid():
            raise ValidationError(_form_errors(form, dataset))
        run = export_run(
            user=user,
            dataset=dataset,
            fmt=data["format"],
            filters=form.filters(),
            include_personal=include_personal,
            request=request,
            as_job=True,
        )
        job = ExportJob.objects.get(pk=run.job.pk)  # as the job left it (eager tasks run on commit)
        location = request.build_absolute_uri(reverse("staff-export-detail", args=[job.pk]))
        return Response(
            ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )

    @extend_schema(
        summary="Download an export's file",
        description=(
            "The file (CSV or XLSX) as an attachment, never cached. 409 while the job is queued or running "
            "(or when it failed); 410 once the file has expired (EXPORT_RETENTION_DAYS after it was made)."
        ),
        responses={
            (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
            403: error_response("Not staff, or your role may no longer export this data set."),
            404: NOT_YOURS,
            409: error_response("not_ready (queued or running) or failed."),
            410: error_response("expired: the file was deleted; start the export again."),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer])
    def download(self, request: Request, pk: str | None = None):
        job = self.get_object()
        job_download_check(user=request.user, job=job)  # an ExportDownloadError answers 403/409/410
        return serve_private(
            request,
            job.file,
            filename=job_download_name(job),
            content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
            on_serve=lambda: job_download_log(user=request.user, job=job, request=request),
        )

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # A download client may Accept text/csv: the file is served as it is, and a refusal is JSON
        # rather than a 406.
        return super().perform_content_negotiation(request, force=force or self.action == "download")


def _form_data(
    user, dataset: str, fmt: str, filters: dict[str, Any], include_personal: bool
) -> dict[str, Any]:
    """The API's request as the export form's POST data."""
    data: dict[str, Any] = {"dataset": dataset, "format": fmt}
    if include_personal:
        data["include_personal"] = "on"
    for name in ("date_from", "date_to"):
        if filters.get(name):
            data[name] = filters[name].isoformat()
    if filters.get("status"):
        data["status"] = f"{dataset}:{filters['status']}"  # the form's statuses name their data set
    for name in ("program", "neighbourhood"):
        if filters.get(name):
            data[name] = str(filters[name])
    district = filters.get("district")
    if district:
        if user.sees_all_districts:
            data["district"] = str(district)
        elif district != user.district_id:
            # Staff of one district asking for another's data: refused, not silently narrowed.
            raise ExportRefused(_("You may export only your own district's data."))
    return data


def _form_errors(form: ExportForm, dataset: str) -> dict[str, list[str]]:
    """The form's errors under the API's field names (`filters.program`), the whole-form ones as the
    message. A status is named in the form as "applications:approved": the API's is "approved"."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        if name == "__all__":
            key = "non_field_errors"
        elif name in FILTER_NAMES:
            key = f"filters.{name}"
        else:
            key = name
        errors.setdefault(key, []).extend(str(message).replace(f"{dataset}:", "") for message in messages)
    return errors


def _dotted(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """A nested serializer's errors ({"filters": {"program": [...]}}) as flat dotted field names."""
    flat: dict[str, list[str]] = {}
    for name, value in errors.items():
        key = f"{prefix}{name}" if name != "non_field_errors" or not prefix else prefix.rstrip(".")
        if isinstance(value, dict):
            flat.update(_dotted(value, f"{key}."))
        else:
            flat.setdefault(key, []).extend(str(message) for message in value)
    return flat
