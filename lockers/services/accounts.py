"""lockers' part when a resident's account is deleted (households announces it: see lockers.receivers)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest

from portal.audit import audit_log
from portal.models import User

from ..models import IN_COMPARTMENT, Delivery, LockerRegistration


def lockers_release_for_deleted_account(
    *, user: User, now: datetime, request: HttpRequest | None = None
) -> int:
    """The account's locker registrations go; each parcel still in a compartment is flagged for the
    district's staff (nobody will come with its code: they return it), with an audit event. Returns how
    many parcels were flagged."""
    LockerRegistration.objects.filter(user=user).delete()
    flagged = 0
    waiting = Delivery.objects.filter(
        recipient=user, status__in=IN_COMPARTMENT, recipient_erased_at__isnull=True
    )
    for delivery in waiting.select_related("district").order_by("pk"):
        if not Delivery.objects.filter(pk=delivery.pk, recipient_erased_at__isnull=True).update(
            recipient_erased_at=now
        ):
            continue
        audit_log(
            actor=user,
            action="lockers.delivery.recipient_erased",
            target=delivery,
            subject_user_id=user.pk,
            district=delivery.district,
            request=request,
            data={"reference": delivery.reference},
        )
        flagged += 1
    return flagged
