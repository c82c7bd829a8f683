"""Kit requests: a household's request of its district's offer, the items chosen, the installation
visits and the satisfaction survey."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager
from programs.models import EligibilityRecord

from .catalogue import KitItem, KitOffer


class KitRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved, visit to be scheduled")
    SCHEDULED = "scheduled", _("Installation visit scheduled")
    INSTALLED = "installed", _("Installed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# A household has at most one of these at a time.
OPEN_STATUSES = (KitRequestStatus.SUBMITTED, KitRequestStatus.APPROVED, KitRequestStatus.SCHEDULED)
# Statuses in which the request holds reserved stock.
RESERVING_STATUSES = (KitRequestStatus.APPROVED, KitRequestStatus.SCHEDULED)


class Slot(models.TextChoices):
    MORNING = "morning", _("Morning (9–12)")
    AFTERNOON = "afternoon", _("Afternoon (12–18)")
    EVENING = "evening", _("Evening (18–21)")


class Priority(models.IntegerChoices):
    BASIC_LIVELIHOOD = 1, _("Basic livelihood recipient (수급자)")
    NEAR_POVERTY = 2, _("Near-poverty group (차상위)")
    RENTER = 3, _("Renter (jeonse, monthly rent, public rental)")
    OTHER = 9, _("Other")


class KitRequest(EligibilityRecord):
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        related_name="kit_requests",
        verbose_name=_("household"),
    )
    # The household's district at submission: whose staff review it and whose stock it draws on.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    offer = models.ForeignKey(
        KitOffer, on_delete=models.PROTECT, related_name="requests", verbose_name=_("offer")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=KitRequestStatus.choices, default=KitRequestStatus.SUBMITTED
    )
    preferred_windows = models.JSONField(
        _("preferred visit windows"),
        default=list,
        blank=True,
        help_text='[{"date": "2026-03-02", "slot": "morning"}]',
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.OTHER
    )

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True, validators=[refuse_identifiers])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["eligibility_lines", "preferred_windows"])
    objects = ScopedManager()

    class Meta:
        verbose_name = _("kit request")
        verbose_name_plural = _("kit requests")
        ordering = ["-created_at"]
        indexes = [
            # The review queue: a district's requests by priority group, oldest first.
            models.Index(fields=["district", "priority", "submitted_at"], name="kitrequest_queue_idx"),
            models.Index(
                fields=["district", "status", "priority", "submitted_at"], name="kitrequest_status_idx"
            ),
            models.Index(fields=["priority", "submitted_at"], name="kitrequest_city_idx"),
        ]
        constraints = [
            # One open request per household, whatever the code path and even under a race.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status__in=["submitted", "approved", "scheduled"]),
                name="kitrequest_one_open_per_household",
                violation_error_message=_("You already have an open safety kit request."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="kitrequest_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Kit request"))


class KitRequestItem(models.Model):
    request = models.ForeignKey(KitRequest, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(KitItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))

    class Meta:
        ordering = ["item__position", "item_id"]
        verbose_name = _("requested item")
        verbose_name_plural = _("requested items")
        constraints = [models.UniqueConstraint(fields=["request", "item"], name="kitrequestitem_once")]

    def __str__(self) -> str:
        return str(self.item)


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RESCHEDULE_REQUESTED = "reschedule_requested", _("Resident asked to reschedule")
    INSTALLED = "installed", _("Installed")
    FAILED = "failed", _("Installation failed")
    REPLACED = "replaced", _("Replaced by a new visit")


OPEN_VISIT_STATUSES = (VisitStatus.SCHEDULED, VisitStatus.RESCHEDULE_REQUESTED)


class InstallationVisit(models.Model):
    request = models.ForeignKey(KitRequest, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("date"))
    window_start = models.TimeField(_("from"))
    window_end = models.TimeField(_("until"))
    installer = models.CharField(_("installer"), max_length=100, validators=[refuse_identifiers])
    status = models.CharField(
        _("status"), max_length=24, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )
    note = models.TextField(_("installation note"), blank=True, validators=[refuse_identifiers])
    failure_reason = models.TextField(_("why it failed"), blank=True, validators=[refuse_identifiers])
    resident_note = models.TextField(_("resident's note"), blank=True, validators=[refuse_identifiers])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("installation visit")
        verbose_name_plural = _("installation visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")), name="visit_window_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""), name="visit_failure_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.window_start:%H:%M}–{self.window_end:%H:%M}"


class SatisfactionSurvey(models.Model):
    request = models.OneToOneField(KitRequest, on_delete=models.CASCADE, related_name="survey")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, validators=[refuse_identifiers])
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="survey_rating_range")
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.rating}/5"
