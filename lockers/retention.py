"""The lockers app's class in the retention table: parcels that left their compartment."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .models import Delivery, DeliveryStatus

CLOSED = (DeliveryStatus.PICKED_UP, DeliveryStatus.RETURNED)


def parcels_due(*, now, cutoff) -> models.QuerySet:
    # Counted from when the parcel left (picked up or returned). Already blanked rows are not due.
    return Delivery.objects.filter(status__in=CLOSED, closed_at__lt=cutoff).filter(
        ~Q(courier="") | ~Q(tracking_number="")
    )


def parcels_prune(*, pks, now) -> int:
    """Blank what ties the parcel to its sender and its recipient's mail: the courier and the tracking
    number (a courier's site shows the recipient's name and address for it); the pickup code's hash
    was already cleared when the parcel left. The row stays for the site's statistics and fees; the
    recipient's own account is anonymised by erasure or as a dormant account, and the texts that
    carried the code by the notifications class."""
    return Delivery.objects.filter(pk__in=pks, status__in=CLOSED).update(courier="", tracking_number="")


def register_retention() -> None:
    register(
        DataClass(
            key="parcels",
            label=_("Parcel-locker deliveries: courier and tracking number"),
            outcome=_("blanked, counted from pickup or return"),
            setting="RETENTION_PARCELS_DAYS",
            due=parcels_due,
            prune=parcels_prune,
            order=40,
        )
    )
