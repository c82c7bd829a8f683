"""Staff pages of the exports: the export form, a job's progress page and its private download.

Staff only (and OTP-verified when STAFF_OTP_REQUIRED is on, as in the admin); the data sets offered
follow the role's view permissions. A job and its file are its owner's alone: anyone else gets a 404,
never a 403, since whether the job exists is not theirs to know either.
"""

from __future__ import annotations

import tempfile
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.files import serve_private
from reports.models import ExportJob

from .base import ExportRefused, direct_max_rows
from .exporters import get_exporter
from .filters import ExportForm, describe_filters
from .services import (
    ExportRun,
    export_filename,
    export_run,
    job_download_log,
    job_download_name,
    job_downloadable,
    job_for_owner,
    stream_rows,
)
from .writers import csv_chunks, write_xlsx

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RECENT_JOBS = 10


def staff_required(view):
    """Logged-in, active staff (OTP-verified when required); others go to the staff login or get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        user = request.user
        verified = not settings.STAFF_OTP_REQUIRED or (hasattr(user, "is_verified") and user.is_verified())
        if not user.is_authenticated or (user.is_staff and not verified):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def content_disposition(filename: str) -> str:
    """attachment with an ASCII filename and its RFC 5987 `filename*` (UTF-8) twin."""
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _private(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def direct_response(run: ExportRun) -> HttpResponse:
    """A small export, now: CSV streamed row by row; XLSX built in write-only mode in a temporary file
    (deleted when closed) and streamed from there."""
    exporter, fmt = run.exporter, run.format
    filename = export_filename(exporter.name, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(exporter.headers(), stream_rows(exporter)), content_type=CONTENT_TYPES["csv"]
        )
    else:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
        write_xlsx(handle, exporter.headers(), stream_rows(exporter), title=str(exporter.label))
        handle.seek(0)
        response = FileResponse(handle, content_type=CONTENT_TYPES["xlsx"])
    return _private(response, filename)


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def export_form(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None, user=request.user)
    if not form.exporters:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = export_run(
                user=request.user,
                dataset=data["dataset"],
                fmt=data["format"],
                filters=form.filters(),
                include_personal=data["include_personal"],
                request=request,
            )
        except ExportRefused as exc:
            form.add_error(None, str(exc))
        else:
            if run.is_direct:
                return direct_response(run)
            messages.info(
                request,
                _(
                    "This export is large, so it is being prepared in the background. "
                    "We will notify you when it is ready."
                ),
            )
            return redirect("exports:job", pk=run.job.pk)
    jobs = ExportJob.objects.filter(owner=request.user).order_by("-created_at")[:RECENT_JOBS]
    return render(
        request,
        "reports/exports/form.html",
        {
            "form": form,
            "jobs": [(job, _label(job.dataset)) for job in jobs],
            "direct_max_rows": direct_max_rows(),
        },
        status=400 if form.errors else 200,
    )


def _label(dataset: str) -> str:
    try:
        return str(get_exporter(dataset).label)
    except LookupError:
        return dataset


def _owned_job(request: HttpRequest, pk) -> ExportJob:
    job = job_for_owner(user=request.user, job_id=pk)
    if job is None:
        raise Http404
    return job


@never_cache
@staff_required
@require_GET
def job_detail(request: HttpRequest, pk) -> HttpResponse:
    job = _owned_job(request, pk)
    expired = job.status == ExportJob.Status.EXPIRED or (
        job.status == ExportJob.Status.DONE and job.expires_at and job.expires_at <= timezone.now()
    )
    return render(
        request,
        "reports/exports/job.html",
        {
            "job": job,
            "label": _label(job.dataset),
            "filters": describe_filters(job.dataset, job.filters),
            "expired": expired,
            "refresh_seconds": 3 if job.is_active else None,
        },
    )


@never_cache
@staff_required
@require_GET
def job_download(request: HttpRequest, pk) -> HttpResponse:
    job = _owned_job(request, pk)
    if not job_downloadable(user=request.user, job=job):
        raise Http404
    return serve_private(
        request,
        job.file,
        filename=job_download_name(job),
        content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
        on_serve=lambda: job_download_log(user=request.user, job=job, request=request),
    )
