"""Depositing a parcel: a free compartment of the size asked, and the one-time pickup code texted to the
recipient.

The pickup code is generated here with `secrets`, goes into the recipient's SMS and nowhere else: the
delivery keeps an HMAC of it (keyed with SECRET_KEY, salted with the delivery id so equal codes hash
differently), audit events and logs never see it, and the SMS row of the outbox blanks it once sent
(portal.notifications honours `redact_after_send`).
"""

from __future__ import annotations

import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.models import Notification, User
from portal.notifications import notify
from portal.timeutils import to_local

from ..models import IN_COMPARTMENT, Compartment, CompartmentSize, Delivery, LockerRegistration, LockerSite
from .base import LockerError, code_hash, delivery_context, policy_for
from .registration import sms_household

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
DEPOSIT_RETRIES = 3


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_only_in_sms(rows: list[Notification]) -> None:
    """Blank the code from every row of a notify() but the text message's: the inbox and email rows never
    hold it, not even briefly (they are blanked in the caller's transaction, before anything commits)."""
    others = [row.pk for row in rows if row.channel != Notification.Channel.SMS]
    for row in Notification.objects.filter(pk__in=others):
        row.context = {**row.context, "code": "", "redact_after_send": False}
        row.save(update_fields=["context"])


def _free_compartment(site: LockerSite, size: str) -> Compartment | None:
    """Lock and return a free, unlocked compartment of `size`. skip_locked: a compartment another
    deposit is filling right now is passed over rather than waited for."""
    occupied = Delivery.objects.filter(compartment=OuterRef("pk"), status__in=IN_COMPARTMENT)
    return (
        Compartment.objects.select_for_update(skip_locked=True)
        .filter(site=site, size=size, locked_at__isnull=True)
        .filter(~Exists(occupied))
        .order_by("label", "pk")
        .first()
    )


def delivery_deposit(
    *,
    site: LockerSite,
    recipient: User,
    size: str,
    actor: User | None,
    courier: str = "",
    tracking_number: str = "",
    request: HttpRequest | None = None,
) -> Delivery:
    """Put a parcel in a free compartment of the site and text the recipient the one-time code."""
    if size not in CompartmentSize.values:
        raise LockerError("invalid_size", _("Choose a compartment size: S, M or L."))
    if not site.is_active:
        raise LockerError("site_closed", _("This locker site is not in service."))
    if not LockerRegistration.objects.filter(user=recipient, site=site).exists():
        raise LockerError("not_registered", _("The recipient has not registered for this locker site."))
    if sms_household(recipient) is None:
        raise LockerError(
            "no_sms", _("The recipient cannot receive text messages, so they could not get the pickup code.")
        )
    for attempt in range(DEPOSIT_RETRIES):
        try:
            return _deposit(
                site=site,
                recipient=recipient,
                size=size,
                actor=actor,
                courier=courier.strip()[:60],
                tracking_number=tracking_number.strip()[:40],
                request=request,
            )
        except IntegrityError:
            # A compartment freed and refilled between our snapshot and our lock: the database's
            # one-parcel-per-compartment rule refused the second parcel. Look again.
            logger.info("locker deposit at site %s raced for a compartment (try %s)", site.pk, attempt + 1)
    raise LockerError("busy", _("The locker is busy. Try again in a moment."))


@transaction.atomic
def _deposit(
    *,
    site: LockerSite,
    recipient: User,
    size: str,
    actor: User | None,
    courier: str,
    tracking_number: str,
    request: HttpRequest | None,
) -> Delivery:
    compartment = _free_compartment(site, size)
    if compartment is None:
        raise LockerError(
            "full",
            _("No %(size)s compartment is free at %(site)s: all are in use or locked. Try another size.")
            % {"size": CompartmentSize(size).label, "site": site.name},
        )
    now = timezone.now()
    code = _new_code()
    with transaction.atomic():  # savepoint: a constraint refusal here is retried by the caller
        delivery = Delivery.objects.create(
            compartment=compartment,
            recipient=recipient,
            district_id=site.district_id,
            courier=courier,
            tracking_number=tracking_number,
            deposited_by=actor if actor is not None and actor.is_authenticated else None,
            deposited_at=now,
        )
    # Reference and hash need the row's id: unique without a shared counter to lock.
    delivery.reference = f"PL-{to_local(now).year}-{delivery.pk:06d}"
    delivery.code_hash = code_hash(delivery.pk, code)
    delivery.save(update_fields=["reference", "code_hash"])
    event = audit_log(
        actor=actor,
        action="lockers.delivery.deposited",
        target=delivery,
        subject_user_id=recipient.pk,
        district=site.district,
        request=request,
        data={"reference": delivery.reference, "compartment": compartment.label, "site": site.pk},
    )
    policy = policy_for(site.district_id)
    rows = notify(
        user=recipient,
        template="locker.delivered",
        event_key=f"locker:{delivery.pk}:delivered:{event.pk}",
        context={
            **delivery_context(delivery, compartment, site, policy),
            "code": code,
            # portal.notifications blanks the code from the row once the text message is sent.
            "redact_after_send": True,
        },
    )
    code_only_in_sms(rows)  # only the text message carries the code
    return delivery
