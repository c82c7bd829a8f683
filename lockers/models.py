"""Safe parcel lockers (무인택배함): sites with compartments, the district's fee policy, kiosk devices,
residents' registrations, deliveries and every pickup attempt.

A delivery's one-time pickup code is never stored: only an HMAC of it (see services.code_hash). Whether
a compartment is free is never a flag kept in step by hand: it is free when it holds no parcel, which
the database states itself (one parcel per compartment, a partial unique constraint).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager


class LockerPolicy(models.Model):
    """A district's rules: so many free hours, then a daily fee, and return after the holding period."""

    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="locker_policy", verbose_name=_("district")
    )
    free_hours = models.PositiveSmallIntegerField(_("free hours"), default=48)
    daily_fee = models.PositiveIntegerField(
        _("daily fee (won)"), default=1000, help_text=_("Charged per started day after the free period.")
    )
    max_hold_days = models.PositiveSmallIntegerField(
        _("maximum holding period (days)"), default=7, validators=[MinValueValidator(1)]
    )
    reminder_hours_before_free_end = models.PositiveSmallIntegerField(
        _("reminder (hours before the free period ends)"), default=6
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("locker fee policy")
        verbose_name_plural = _("locker fee policies")

    def __str__(self) -> str:
        return str(self.district)


class LockerSite(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="locker_sites", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["district__code", "name", "pk"]
        verbose_name = _("locker site")
        verbose_name_plural = _("locker sites")

    def __str__(self) -> str:
        return self.name


class CompartmentSize(models.TextChoices):
    SMALL = "S", _("Small")
    MEDIUM = "M", _("Medium")
    LARGE = "L", _("Large")


class Compartment(models.Model):
    site = models.ForeignKey(LockerSite, on_delete=models.CASCADE, related_name="compartments")
    label = models.CharField(_("label"), max_length=10, help_text=_("As printed on the door, e.g. A-01."))
    size = models.CharField(_("size"), max_length=1, choices=CompartmentSize.choices)
    # Set when too many wrong codes were tried; staff unlock it. Attempts before unlocked_at no longer
    # count towards the next lock.
    locked_at = models.DateTimeField(_("locked (wrong codes)"), null=True, blank=True)
    unlocked_at = models.DateTimeField(_("last unlocked"), null=True, blank=True)

    district_scope = "site__district"
    objects = ScopedManager()

    class Meta:
        ordering = ["site", "label"]
        verbose_name = _("compartment")
        verbose_name_plural = _("compartments")
        constraints = [models.UniqueConstraint(fields=["site", "label"], name="compartment_label_unique")]

    def __str__(self) -> str:
        return f"{self.site} {self.label}"


class LockerDevice(models.Model):
    """A kiosk at a site. Only the SHA-256 of its token is kept; the token is shown once, at creation."""

    site = models.ForeignKey(LockerSite, on_delete=models.CASCADE, related_name="devices")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    district_scope = "site__district"
    objects = ScopedManager()

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("kiosk device")
        verbose_name_plural = _("kiosk devices")

    def __str__(self) -> str:
        return f"{self.site} · {self.name}"


class LockerRegistration(models.Model):
    """A resident signed up to receive parcels at a site."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(LockerSite, on_delete=models.CASCADE, related_name="registrations")
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("locker registration")
        verbose_name_plural = _("locker registrations")
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="locker_registration_unique")]

    def __str__(self) -> str:
        return f"{self.site} · {self.user_id}"


class DeliveryStatus(models.TextChoices):
    STORED = "stored", _("Waiting for pickup")
    PICKED_UP = "picked_up", _("Picked up")
    RETURN_MARKED = "return_marked", _("To be returned (holding period over)")
    RETURNED = "returned", _("Returned to the sender")


# A parcel still in its compartment: the compartment is not free.
IN_COMPARTMENT = (DeliveryStatus.STORED, DeliveryStatus.RETURN_MARKED)


class Delivery(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    compartment = models.ForeignKey(
        Compartment, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("compartment")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    # The district whose staff handle it (the site's): what scopes the delivery to a district's staff.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    # Free text staff type: the guard applies. Not to tracking_number: Korea Post's are 13 digits, and a
    # parcel's number must never be refused for looking like a birth date.
    courier = models.CharField(_("courier"), max_length=60, blank=True, validators=[refuse_identifiers])
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    # HMAC-SHA256 (key: SECRET_KEY) of "<id>:<code>": the code itself is only ever in the SMS.
    code_hash = models.CharField(_("code hash"), max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.STORED
    )
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deposited by"),
    )
    deposited_at = models.DateTimeField(_("deposited"))
    picked_up_at = models.DateTimeField(_("picked up"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    fee_charged = models.PositiveIntegerField(_("fee charged (won)"), null=True, blank=True)
    # Set by the reminder job when it claims the delivery: at most one reminder, however often it runs.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # The recipient deleted their account while the parcel waited: nobody will come with a code, so
    # staff return it (the admin lists these first).
    recipient_erased_at = models.DateTimeField(_("recipient's account deleted"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-deposited_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["district", "status", "deposited_at"], name="delivery_queue_idx"),
            models.Index(fields=["status", "deposited_at"], name="delivery_due_idx"),
            models.Index(fields=["recipient", "deposited_at"], name="delivery_recipient_idx"),
        ]
        constraints = [
            # One parcel per compartment, whatever the code path: two deposits racing for the same
            # compartment cannot both commit.
            models.UniqueConstraint(
                fields=["compartment"],
                condition=Q(status__in=["stored", "return_marked"]),
                name="delivery_one_parcel_per_compartment",
            )
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Delivery"))


class PickupOutcome(models.TextChoices):
    OK = "ok", _("Opened")
    WRONG_CODE = "wrong_code", _("Wrong code")
    NO_PARCEL = "no_parcel", _("No parcel in the compartment")
    EXPIRED = "expired", _("Holding period over")


class PickupAttempt(models.Model):
    """Every code tried at a kiosk: the record, and what the wrong-code limits count."""

    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(LockerDevice, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    success = models.BooleanField(_("success"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=PickupOutcome.choices)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pickup attempt")
        verbose_name_plural = _("pickup attempts")
        indexes = [
            models.Index(fields=["compartment", "outcome", "created_at"], name="pickup_compartment_idx"),
            models.Index(fields=["device", "outcome", "created_at"], name="pickup_device_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.compartment} {self.created_at:%Y-%m-%d %H:%M}"
