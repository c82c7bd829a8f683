"""Export jobs: a large export run in the background (reports.exports), its progress and its private file.

A job belongs to the staff member who asked for it: only they may follow it or download its file, which
lives under MEDIA_ROOT/exports/ (never served directly) and is deleted when the job expires.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired (file deleted)")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (Excel-compatible, UTF-8)")
        XLSX = "xlsx", _("Excel workbook (XLSX)")

    # A random id: the job page and download addresses must not be guessable or countable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    # The owner's district when the export was asked for (empty for a city admin): for the access log.
    district = models.ForeignKey(
        "portal.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    dataset = models.CharField(_("data set"), max_length=40)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    include_personal = models.BooleanField(_("unmasked personal data"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows to export"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows exported"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        # The table kept its name when the model moved from the portal app. The permission to export
        # unmasked personal data is the core's (portal.AuditEvent declares portal.export_personal_data).
        db_table = "portal_exportjob"
        indexes = [
            models.Index(fields=["owner", "created_at"], name="exportjob_owner_idx"),
            models.Index(fields=["status", "expires_at"], name="exportjob_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.dataset

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, int(self.rows_done * 100 / self.rows_total))

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
