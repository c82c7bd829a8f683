"""The kit catalogue (city-wide reference data) and what each district offers of it."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.i18n import localized
from portal.models import District
from portal.scoping import ScopedManager


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
    visit_horizon_days = models.PositiveSmallIntegerField(
        _("visits booked up to (days ahead)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How far ahead a resident may ask for an installation visit."),
    )
    priority_notes = models.TextField(_("priority rule (Korean)"), blank=True)
    priority_notes_en = models.TextField(_("priority rule (English)"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("kit offer")
        verbose_name_plural = _("kit offers")

    def __str__(self) -> str:
        return str(self.district)
