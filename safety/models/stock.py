"""A district's stock of each kit item and its ledger.

Stock is never a stored counter: what a district has of an item is the sum of its StockMovement rows (the
ledger), computed under a lock on the item's KitStock row whenever it is about to change. Every movement
names its reason: a receipt, a staff adjustment (with a written reason) or a kit request it reserved for
or released from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager

from .catalogue import KitItem


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
    reason = models.TextField(_("reason"), blank=True, validators=[refuse_identifiers])
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
