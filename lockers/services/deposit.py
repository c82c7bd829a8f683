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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Household
from portal.audit import audit_log
from portal.models import Notification, User
from portal.notifications import code_only_in_sms, notify
from portal.timeutils import to_local

from ..models import IN_COMPARTMENT, Compartment, CompartmentSize, Delivery, LockerRegistration, LockerSite
from .base import LockerError, code_hash, delivery_context, policy_for
from .registration import sms_household

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
DEPOSIT_RETRIES = 3


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def delivery_code_issue(delivery: Delivery, *, template: str, event_key: str) -> list[Notification]:
    """Give a waiting parcel a new one-time code and text it: the new hash replaces any earlier one (which
    then opens nothing). The caller holds the delivery (just created, or locked). Returns notify()'s rows.
    """
    code = _new_code()
    delivery.code_hash = code_hash(delivery.pk, code)
    delivery.save(update_fields=["code_hash"])
    compartment = delivery.compartment
    rows = notify(
        user=delivery.recipient,
        template=template,
        event_key=f"locker:{delivery.pk}:{event_key}",
        context={
            **delivery_context(delivery, compartment, compartment.site, policy_for(delivery.district_id)),
            "code": code,
            # portal.notifications blanks the code from the row once the text message is sent.
            "redact_after_send": True,
        },
    )
    code_only_in_sms(rows)  # only the text message carries the code
    if not any(row.channel == Notification.Channel.SMS for row in rows):
        # No text message could carry it (the number is unverified, or texts are off): a code nobody
        # received is no code. Keep none, so verifying the number later texts one.
        delivery.code_hash = ""
        delivery.save(update_fields=["code_hash"])
    return rows


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
    # The recipient's row locked: phone_verification_confirm locks it too, so a verification racing this
    # deposit either comes first (the code is texted now) or sees this parcel once it commits (and texts
    # it then) — never neither.
    verified = any(
        Household.objects.select_for_update()
        .filter(user=recipient)
        .values_list("phone_verified_at", flat=True)
    )
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
    delivery.save(update_fields=["reference"])
    event = audit_log(
        actor=actor,
        action="lockers.delivery.deposited",
        target=delivery,
        subject_user_id=recipient.pk,
        district=site.district,
        request=request,
        data={
            "reference": delivery.reference,
            "compartment": compartment.label,
            "site": site.pk,
            "code_sent": verified,
        },
    )
    if verified:
        compartment.site = site  # already at hand: the message's context needs it
        delivery_code_issue(delivery, template="locker.delivered", event_key=f"delivered:{event.pk}")
        return delivery
    # An unverified number may be a stranger's: no code is texted to it. The parcel keeps no code (an
    # empty hash opens nothing) and waits; the resident is told in the inbox (and by email) to verify the
    # number, and verifying it texts a code (reissue.delivery_codes_for_verified_phone).
    notify(
        user=recipient,
        template="locker.awaiting_phone",
        event_key=f"locker:{delivery.pk}:awaiting_phone:{event.pk}",
        context={
            **delivery_context(delivery, compartment, site, policy_for(site.district_id)),
            "verify_link": f"{settings.SITE_URL}{reverse('households:phone_verify')}",
        },
    )
    return delivery
