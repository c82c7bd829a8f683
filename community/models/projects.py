"""A selected project's follow-up: milestones with activity reports (text, photos, receipts), payments,
and the space bookings counted against its quota."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers

from .proposals import Proposal


class Milestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200, validators=[refuse_identifiers])
    due_on = models.DateField(_("report due"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


class ActivityReport(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("what the group did"), max_length=4000, validators=[refuse_identifiers])
    spent = models.PositiveBigIntegerField(_("spent (won)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    review_note = models.TextField(_("review note"), blank=True, validators=[refuse_identifiers])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_note=""), name="report_return_has_note"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.get_status_display()}"


class ReportFileKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    RECEIPT = "receipt", _("Receipt")


def _report_file_path(instance: ReportFile, filename: str) -> str:
    # The stored name says nothing about the person: only ids and the type's suffix.
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"community/reports/{instance.report_id}/{instance.kind}{suffix}"


class ReportFile(models.Model):
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=8, choices=ReportFileKind.choices)
    file = models.FileField(_("file"), upload_to=_report_file_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Payment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField(_("amount (won)"))
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[refuse_identifiers])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.amount:,}"


class ProjectBooking(models.Model):
    """A space booking made under a selected project's quota (spaces' own rules still apply)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="bookings")
    booking = models.OneToOneField(
        "spaces.Booking", on_delete=models.CASCADE, related_name="community_project"
    )

    class Meta:
        verbose_name = _("project booking")
        verbose_name_plural = _("project bookings")

    def __str__(self) -> str:
        return f"{self.proposal} · {self.booking_id}"
