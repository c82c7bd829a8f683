"""Running an export: check, count, log, then either stream it now or hand it to a background job.

export_run() is the one entry point (the staff page and the API call it). It builds the exporter
(which refuses a data set the user may not view, or unmasked data without the permission), counts the
rows up to EXPORT_DIRECT_MAX_ROWS + 1, and then:
  - small: writes the access-log event now and returns the run; the caller streams it;
  - large: creates an ExportJob and records run_export_job in the task outbox (portal.outbox); the job writes
    the file to the default storage's exports/, records progress, logs the export and notifies its owner.
With `as_job=True` (the API: one flow for every client) it skips the count and always makes a job.

Every export writes exactly one `export.created` audit event (PIPA access log): who, when (the event's
time), the filters, how many rows, whether personal data was unmasked, and the district.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import outbox
from portal.audit import audit_log, client_ip
from portal.errors import DomainError
from portal.files import save_spooled
from portal.models import District, User
from portal.notifications import notify
from reports.models import ExportJob

from .base import XLSX_MAX_ROWS, Exporter, ExportRefused, direct_max_rows, retention_days
from .exporters import get_exporter
from .tasks import run_export_job  # the tasks module imports the services only when a task runs
from .writers import write_export

logger = logging.getLogger(__name__)
Status = ExportJob.Status
AUDIT_ACTION = "export.created"
# A job still "running" this long after it started was lost with its worker: it may be claimed again.
STALE_RUNNING = timedelta(hours=2)
PROGRESS_EVERY_SECONDS = 1.0


class ExportFailed(Exception):
    """A job that cannot complete, with a message for its owner."""


@dataclass
class ExportRun:
    exporter: Exporter
    format: str
    rows: int | None  # known for a direct export; a job counts in the background
    job: ExportJob | None = None

    @property
    def is_direct(self) -> bool:
        return self.job is None


def export_run(
    *,
    user: User,
    dataset: str,
    fmt: str,
    filters: dict[str, Any],
    include_personal: bool = False,
    request: HttpRequest | None = None,
    as_job: bool = False,
) -> ExportRun:
    """Start an export (see the module docstring). Raises ExportRefused when the user may not."""
    if fmt not in ExportJob.Format.values:
        raise ValueError(f"unknown export format {fmt!r}")
    exporter = get_exporter(dataset)(user, filters, include_personal=include_personal)
    limit = direct_max_rows()
    rows = None if as_job else exporter.count(cap=limit)
    if rows is not None and rows <= limit:
        _log_export(
            actor=user,
            dataset=dataset,
            fmt=fmt,
            filters=exporter.filters,
            rows=rows,
            personal_data=exporter.personal_data,
            district=_district_for_log(user, exporter.filters),
            request=request,
        )
        return ExportRun(exporter=exporter, format=fmt, rows=rows)
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=user,
            district_id=user.district_id,
            dataset=dataset,
            format=fmt,
            filters=exporter.filters,
            include_personal=exporter.personal_data,
            ip_address=client_ip(request),
        )
        # The core's task outbox: recorded with the job, published on commit, relayed if the broker
        # was down, so a saved job always runs.
        outbox.enqueue(run_export_job, str(job.pk))
    return ExportRun(exporter=exporter, format=fmt, rows=None, job=job)


def stream_rows(exporter: Exporter) -> Iterator[list[Any]]:
    """The exporter's rows for a streamed response, read in one transaction (see bulk_reading)."""
    rows = exporter.rows()  # set up now, under the request's language
    return _read_in_transaction(rows)


def _read_in_transaction(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    with bulk_reading(transactional=True):
        yield from rows


@contextmanager
def bulk_reading(*, transactional: bool) -> Iterator[None]:
    """Read a whole result through a server-side cursor as fast as PostgreSQL can give it.

    Inside a transaction Django's server-side cursor is a plain one that streams as PostgreSQL produces
    rows; outside one it is WITH HOLD, and PostgreSQL computes the whole result when it is declared
    (on the server: the process's memory stays flat either way). A background job reads outside a
    transaction so that its progress updates are committed as it goes.

    A cursor is planned for its first rows (cursor_tuple_fraction 0.1: nested loops over indexes); an
    export reads every row, so it asks for the plan that is fastest in total (hash joins and one sort),
    about a third less time at a million rows. DateStyle is ISO for SeoulText's casts of dates to text.
    SQLite has no server-side cursors and would take its write lock for a transaction (IMMEDIATE
    mode): nothing to do there.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if transactional:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
                cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
        cursor.execute("SET DateStyle = 'ISO, YMD'")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET cursor_tuple_fraction")
                cursor.execute("RESET DateStyle")
        except DatabaseError:  # a broken connection or aborted transaction: the original error counts
            logger.warning("could not reset cursor_tuple_fraction after an export", exc_info=True)


def _district_for_log(user: User, filters: dict[str, Any]) -> District | None:
    """The user's district; for a city admin, the district the export was narrowed to (if any), so
    that district's own access log shows it."""
    district_id = user.district_id or filters.get("district")
    return District.objects.filter(pk=district_id).first() if district_id else None


def _log_export(
    *,
    actor: User,
    dataset: str,
    fmt: str,
    filters: dict[str, Any],
    rows: int,
    personal_data: bool,
    district: District | None,
    request: HttpRequest | None = None,
    job: ExportJob | None = None,
    ip_address: str | None = None,
):
    return audit_log(
        actor=actor,
        action=AUDIT_ACTION,
        target=job,
        district=district,
        request=request,
        data={
            "dataset": dataset,
            "format": fmt,
            "filters": filters,
            "rows": rows,
            "personal_data": personal_data,
            **({"job": str(job.pk)} if job is not None else {}),
        },
        ip_address=ip_address,  # the job's requester's, written with the event (it is append-only)
    )


# --- the background job --------------------------------------------------------------------------------


def job_run(*, job_id) -> str:
    """Run a queued job (the Celery task's body): idempotent, a duplicate or late delivery does nothing.

    Claims the job with a conditional UPDATE, counts the rows, writes the file to a local temporary
    file and uploads it to the storage once complete, then in one transaction marks the job done,
    writes the access-log event and notifies the owner. A failure is recorded on the job and notified,
    never swallowed silently.
    """
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=now - STALE_RUNNING)
    if not ExportJob.objects.filter(claimable, pk=job_id).update(
        status=Status.RUNNING, started_at=now, rows_done=0, error=""
    ):
        return "skipped"
    job = ExportJob.objects.select_related("owner", "district").get(pk=job_id)
    with translation.override(job.owner.language or settings.LANGUAGE_CODE):
        return _job_write(job)


def _job_write(job: ExportJob) -> str:
    name = job_file_name(job)
    storage = _job_storage()
    uploaded = ""
    try:
        exporter = get_exporter(job.dataset)(job.owner, job.filters, include_personal=job.include_personal)
        total = exporter.count()
        if job.format == ExportJob.Format.XLSX and total > XLSX_MAX_ROWS:
            raise ExportFailed(
                _(
                    "An Excel sheet holds at most %(max)s rows and this export has %(rows)s. "
                    "Choose CSV, or narrow the period or filters."
                )
                % {"max": f"{XLSX_MAX_ROWS:,}", "rows": f"{total:,}"}
            )
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

        def write(out) -> int:
            with bulk_reading(transactional=False):
                return write_export(exporter, job.format, out, progress=_progress_recorder(job.pk))

        # Spooled to a local temporary file and uploaded once complete (bounded memory, no partial
        # object). replace: a run of this job lost after its upload left its file under this name.
        uploaded, rows = save_spooled(name, write, storage=storage, replace=True)
        with transaction.atomic():
            finished = timezone.now()
            ExportJob.objects.filter(pk=job.pk).update(
                status=Status.DONE,
                file=uploaded,
                rows_done=rows,
                rows_total=rows,
                finished_at=finished,
                expires_at=finished + timedelta(days=retention_days()),
            )
            _log_export(
                actor=job.owner,
                dataset=job.dataset,
                fmt=job.format,
                filters=job.filters,
                rows=rows,
                personal_data=exporter.personal_data,
                district=job.district or _district_for_log(job.owner, job.filters),
                job=job,
                ip_address=job.ip_address,
            )
            job.refresh_from_db()
            notify(
                user=job.owner,
                template="export.ready",
                event_key=f"export.ready:{job.pk}",
                context=_notice_context(job),
            )
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job and told to its owner
        logger.exception("export job %s failed", job.pk)
        if uploaded:  # the file made it, the job did not: no orphan object outlives it
            try:
                storage.delete(uploaded)
            except Exception:  # noqa: BLE001 - the job must still be marked failed; expiry retries
                logger.exception("could not delete %s of failed export job %s", uploaded, job.pk)
        if isinstance(exc, ExportFailed | ExportRefused):
            reason = str(exc)
        else:
            reason = _("The export failed because of an error on our side (%(error)s). Please try again.") % {
                "error": exc.__class__.__name__
            }
        ExportJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, error=reason, finished_at=timezone.now()
        )
        job.refresh_from_db()
        notify(
            user=job.owner,
            template="export.failed",
            event_key=f"export.failed:{job.pk}",
            context={**_notice_context(job), "reason": reason},
        )
        return "failed"
    return "done"


def _progress_recorder(job_id):
    """Write rows_done at most once a second (each write is committed: the job page reads it)."""
    last = [0.0]

    def record(done: int) -> None:
        now = timezone.now().timestamp()
        if now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)

    return record


def _notice_context(job: ExportJob) -> dict[str, Any]:
    exporter = get_exporter(job.dataset)
    with translation.override("ko"):
        label_ko = str(exporter.label)
    with translation.override("en"):
        label_en = str(exporter.label)
    expires = timezone.localtime(job.expires_at).strftime("%Y-%m-%d %H:%M") if job.expires_at else ""
    return {
        "dataset": label_ko,
        "dataset_en": label_en,
        "rows": f"{job.rows_done:,}",
        "expires": expires,
        "link": settings.SITE_URL.rstrip("/") + reverse("exports:job", args=[job.pk]),
    }


# --- files and expiry ----------------------------------------------------------------------------------


def job_for_owner(*, user: User, job_id) -> ExportJob | None:
    """The job if `user` owns it (anyone else gets None: the caller answers 404)."""
    if not user.is_authenticated:
        return None
    return ExportJob.objects.filter(pk=job_id, owner=user).first()


class ExportDownloadError(DomainError):
    """Why a job's file cannot be downloaded now. The pages answer every one with a 404; the API says
    which (a client polls until done, and must tell "not yet" from "never")."""

    status_by_code: ClassVar[dict[str, int]] = {
        "not_found": 404,
        "not_ready": 409,
        "failed": 409,
        "expired": 410,
        "permission_denied": 403,
    }


def job_download_check(*, user: User, job: ExportJob) -> None:
    """Refuse (ExportDownloadError) unless `user` may download the job's file now: its owner, finished,
    not expired, and still allowed to export this data set (a role may have changed since)."""
    if job.owner_id != user.pk:
        raise ExportDownloadError("not_found", _("No such export."))
    if job.status in (Status.QUEUED, Status.RUNNING):
        raise ExportDownloadError("not_ready", _("The export is not ready yet. Try again when it is done."))
    if job.status == Status.FAILED:
        raise ExportDownloadError("failed", _("The export failed, so there is no file. Start it again."))
    if job.status == Status.EXPIRED or not job.file or (job.expires_at and job.expires_at <= timezone.now()):
        raise ExportDownloadError(
            "expired", _("The export's file has expired and was deleted. Start it again.")
        )
    if not get_exporter(job.dataset).allowed_for(user):
        raise ExportDownloadError(
            "permission_denied", _("You no longer have permission to export this data.")
        )


def job_downloadable(*, user: User, job: ExportJob) -> bool:
    """Whether `user` may download the job's file now (see job_download_check)."""
    try:
        job_download_check(user=user, job=job)
    except ExportDownloadError:
        return False
    return True


def job_download_log(*, user: User, job: ExportJob, request: HttpRequest | None = None) -> None:
    """The access-log entry of a download (written once the file is found, before it is served)."""
    audit_log(
        actor=user,
        action="export.downloaded",
        target=job,
        district=job.district,
        request=request,
        data={"dataset": job.dataset, "format": job.format, "rows": job.rows_done},
    )


def exports_due(*, now, cutoff=None):
    """Jobs the retention job's "exports" class takes: finished ones past their expiry (the period,
    RETENTION_EXPORTS_DAYS, was fixed into expires_at when the file was made, and the job page shows
    that date), and jobs lost with their worker a day ago (still "running")."""
    return ExportJob.objects.filter(
        Q(status=Status.DONE, expires_at__lte=now)
        | Q(status=Status.RUNNING, started_at__lt=now - timedelta(days=1))
    )


def exports_prune(*, pks, now) -> int:
    """Delete the files of these due jobs and close them; returns how many finished files expired.

    A lost job is marked failed, deleting any file it uploaded before it was lost (the spooled
    temporary file itself vanished with its process). Files are deleted before the rows change, so a
    run stopped between the two finds the job still due and deletes again (a missing file is no error,
    locally or on S3).
    """
    storage = _job_storage()
    expired = 0
    for job in ExportJob.objects.filter(pk__in=pks).only("pk", "format", "status", "file"):
        if job.status == Status.RUNNING:
            storage.delete(job_file_name(job))
            storage.delete(job_file_name(job) + ".part")  # written by versions that wrote in place
            ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
                status=Status.FAILED,
                error=_("The export was interrupted. Please start it again."),
                finished_at=now,
            )
            continue
        if job.file:
            storage.delete(job.file.name)
        expired += ExportJob.objects.filter(pk=job.pk, status=Status.DONE).update(
            status=Status.EXPIRED, file=""
        )
    return expired


def exports_expire(*, now=None) -> int:
    """Expire due export files now, outside the nightly retention run; returns how many expired."""
    from portal.retention import get, prune_class

    return prune_class(get("exports"), now=now or timezone.now())


def job_file_name(job: ExportJob) -> str:
    return f"exports/{job.pk}.{job.format}"


def _job_storage():
    return ExportJob._meta.get_field("file").storage


def job_download_name(job: ExportJob) -> str:
    """A job's file name for its download: the data set and the day it was asked for."""
    return f"{job.dataset}-{timezone.localtime(job.created_at).date().isoformat()}.{job.format}"


def export_filename(dataset: str, fmt: str) -> str:
    return f"{dataset}-{timezone.localdate().isoformat()}.{fmt}"
