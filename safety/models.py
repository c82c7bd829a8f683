"""Home-safety kits (안심홈세트): the catalog, each district's offer, stock, requests and installation visits.

Stock is never a stored counter: what a district has of an item is the sum of its StockMovement rows (the
ledger), computed under a lock on the item's KitStock row whenever it is about to change. Every movement
names its reason: a receipt, a staff adjustment (with a written reason) or a kit request it reserved for
or released from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.i18n import localized
from portal.models import District
from portal.scoping import ScopedManager
from programs.application_models import EligibilityRecord


class KitItem(models.Model):
    """One kind of safety device or service a district may offer (reference data, city-wide)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # Always shown next to the name, never alone: it decorates, the text informs.
    icon = models.CharField(_("icon"), max_length=8, blank=True, help_text=_("A short emoji or symbol."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("kit item")
        verbose_name_plural = _("kit items")

    def __str__(self) -> str:
        return localized(self, "name")


class KitOffer(models.Model):
    """What a district offers: which items, how many per household, and whose criteria decide."""

    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="kit_offer", verbose_name=_("district")
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kit_offers",
        verbose_name=_("program"),
        help_text=_(
            "Its eligibility criteria decide who may request a kit. Empty: every resident of the district."
        ),
    )
    items = models.ManyToManyField(KitItem, related_name="offers", verbose_name=_("items"))
    max_items = models.PositiveSmallIntegerField(
        _("items per household"), default=3, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    is_active = models.BooleanField(_("taking requests"), default=True)
    priority_notes = models.TextField(_("priority rule (Korean)"), blank=True)
    priority_notes_en = models.TextField(_("priority rule (English)"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("kit offer")
        verbose_name_plural = _("kit offers")

    def __str__(self) -> str:
        return str(self.district)


class KitStock(models.Model):
    """The row locked while a district's stock of an item changes; its quantity is the ledger's sum."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    item = models.ForeignKey(KitItem, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("item"))
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock alert at"), default=5, help_text=_("Staff are alerted when what is left falls to this.")
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["district", "item__position", "item_id"]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [models.UniqueConstraint(fields=["district", "item"], name="kitstock_one_per_item")]

    def __str__(self) -> str:
        return f"{self.district} · {self.item}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ADJUSTMENT = "adjustment", _("Adjustment")
    RESERVATION = "reservation", _("Reserved for a request")
    RELEASE = "release", _("Released from a request")


class StockMovement(models.Model):
    """The ledger: one signed row per change of a district's stock of an item. Never edited."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    item = models.ForeignKey(KitItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.IntegerField(_("quantity"))
    kind = models.CharField(_("kind"), max_length=12, choices=MovementKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    request = models.ForeignKey(
        "safety.KitRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("request"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock ledger")
        indexes = [models.Index(fields=["district", "item", "created_at"], name="stockmovement_ledger_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="stockmovement_not_zero"),
            # Traceable: an adjustment says why, a reservation or release names its request.
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | ~Q(reason=""), name="stockmovement_adjustment_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["reservation", "release"]) | Q(request__isnull=False),
                name="stockmovement_reservation_has_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} · {self.item}"


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
    decision_reason = models.TextField(_("reason"), blank=True)
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
    installer = models.CharField(_("installer"), max_length=100)
    status = models.CharField(
        _("status"), max_length=24, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )
    note = models.TextField(_("installation note"), blank=True)
    failure_reason = models.TextField(_("why it failed"), blank=True)
    resident_note = models.TextField(_("resident's note"), blank=True)
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
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="survey_rating_range")
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.rating}/5"
