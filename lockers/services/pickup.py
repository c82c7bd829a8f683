"""The kiosk's pickup by one-time code, and staff unlocking a compartment locked after guesses.

Wrong codes are limited twice: per compartment (the 5th wrong code within 15 minutes locks it and
alerts the district's caseworkers) and per kiosk device (more than 20 in 15 minutes and the device is
refused for a while), so neither guessing one compartment nor sweeping a whole site gets far: a 6-digit
code has a million values.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.models import User
from portal.notifications import notify

from ..models import IN_COMPARTMENT, Compartment, Delivery, LockerDevice, PickupAttempt, PickupOutcome
from .base import (
    LockerError,
    S,
    code_hash,
    delivery_context,
    district_caseworkers,
    fee_due,
    hold_until,
    policy_for,
    when,
)

ATTEMPT_WINDOW = timedelta(minutes=15)
COMPARTMENT_WRONG_CODE_LIMIT = 5  # the 5th wrong code within the window locks the compartment
DEVICE_WRONG_CODE_LIMIT = 20  # more than this many within the window and the device is refused


def _attempt(compartment: Compartment, device: LockerDevice, delivery: Delivery | None, outcome: str) -> None:
    PickupAttempt.objects.create(
        compartment=compartment,
        device=device,
        delivery=delivery,
        success=outcome == PickupOutcome.OK,
        outcome=outcome,
    )


def _device_throttled(device: LockerDevice, now: datetime) -> bool:
    failures = PickupAttempt.objects.filter(
        device=device,
        outcome__in=[PickupOutcome.WRONG_CODE, PickupOutcome.NO_PARCEL],
        created_at__gte=now - ATTEMPT_WINDOW,
    ).count()
    return failures >= DEVICE_WRONG_CODE_LIMIT


def _lock_if_guessed(compartment: Compartment, now: datetime) -> bool:
    """Count the compartment's recent wrong codes (since its last unlock); lock it at the limit.

    Call with the compartment row locked. Returns True when this call locked it.
    """
    since = now - ATTEMPT_WINDOW
    if compartment.unlocked_at and compartment.unlocked_at > since:
        since = compartment.unlocked_at
    wrong = PickupAttempt.objects.filter(
        compartment=compartment, outcome=PickupOutcome.WRONG_CODE, created_at__gte=since
    ).count()
    if wrong < COMPARTMENT_WRONG_CODE_LIMIT:
        return False
    compartment.locked_at = now
    compartment.save(update_fields=["locked_at"])
    site = compartment.site
    event = audit_log(
        actor=None,
        action="lockers.compartment.locked",
        target=compartment,
        district=site.district,
        data={"site": site.pk, "compartment": compartment.label, "wrong_codes": wrong},
    )
    # Once per lock: the lock's audit event names it.
    for staff in district_caseworkers(site.district_id):
        notify(
            user=staff,
            template="locker.compartment_locked",
            event_key=f"locker:compartment:{compartment.pk}:locked:{event.pk}",
            context={
                "site": site.name,
                "address": site.address,
                "compartment": compartment.label,
                "date": when(now),
                "link": f"{settings.SITE_URL}/admin/lockers/compartment/{compartment.pk}/change/",
            },
        )
    return True


def pickup_by_code(*, device: LockerDevice | None, compartment_label: str, code: str) -> tuple[Delivery, int]:
    """The kiosk: open the compartment for the right code. Returns (delivery, fee due in won).

    Refusals (LockerError codes): invalid_device, unknown_compartment, compartment_locked, no_parcel,
    wrong_code, expired, too_many_attempts. A wrong code's attempt is committed before the refusal.
    """
    if device is None or not device.is_active or not device.site.is_active:
        raise LockerError("invalid_device", _("This kiosk is not recognised. Ask the district office."))
    label = (compartment_label or "").strip().upper()[:10]
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        LockerDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        if _device_throttled(device, now):
            error = LockerError(
                "too_many_attempts", _("Too many wrong codes were entered here. Try again in 15 minutes.")
            )
        else:
            error, result = _pickup(device, label, code, now)
    if error is not None:
        raise error
    return result


def _pickup(
    device: LockerDevice, label: str, code: str, now: datetime
) -> tuple[LockerError | None, tuple[Delivery, int] | None]:
    # The compartment row lock serializes pickups of one compartment: two kiosks (or a double tap)
    # with the same code cannot both open it.
    compartment = (
        Compartment.objects.select_for_update(of=("self",))
        .select_related("site__district")
        .filter(site_id=device.site_id, label=label)
        .first()
    )
    if compartment is None:
        return LockerError(
            "unknown_compartment", _("There is no compartment %(label)s here.") % {"label": label}
        ), None
    locked = LockerError(
        "compartment_locked",
        _("This compartment is locked after too many wrong codes. The district office has been told."),
    )
    if compartment.locked_at is not None:
        return locked, None
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .filter(compartment=compartment, status__in=IN_COMPARTMENT)
        .first()
    )
    if delivery is None:
        _attempt(compartment, device, None, PickupOutcome.NO_PARCEL)
        return LockerError("no_parcel", _("There is no parcel waiting in this compartment.")), None
    if not delivery.code_hash or not hmac.compare_digest(delivery.code_hash, code_hash(delivery.pk, code)):
        _attempt(compartment, device, delivery, PickupOutcome.WRONG_CODE)
        if _lock_if_guessed(compartment, now):
            return locked, None
        return LockerError(
            "wrong_code", _("That code is not right. Check the text message and try again.")
        ), None
    policy = policy_for(compartment.site.district_id)
    if delivery.status != S.STORED or now >= hold_until(delivery, policy):
        _attempt(compartment, device, delivery, PickupOutcome.EXPIRED)
        return LockerError(
            "expired",
            _("The holding period is over: the parcel will be returned. Ask the district office."),
        ), None
    fee = fee_due(deposited_at=delivery.deposited_at, at=now, policy=policy)
    delivery.status = S.PICKED_UP
    delivery.picked_up_at = delivery.closed_at = now
    delivery.fee_charged = fee
    delivery.code_hash = ""  # the code is spent: nothing can match it again
    delivery.save(update_fields=["status", "picked_up_at", "closed_at", "fee_charged", "code_hash"])
    _attempt(compartment, device, delivery, PickupOutcome.OK)
    event = audit_log(
        actor=None,
        action="lockers.delivery.picked_up",
        target=delivery,
        subject_user_id=delivery.recipient_id,
        district=compartment.site.district,
        data={"reference": delivery.reference, "device": device.pk, "fee": fee},
    )
    notify(
        user=delivery.recipient,
        template="locker.picked_up",
        event_key=f"locker:{delivery.pk}:picked_up:{event.pk}",
        context={**delivery_context(delivery, compartment, compartment.site, policy), "fee": f"{fee:,}"},
    )
    return None, (delivery, fee)


@transaction.atomic
def compartment_unlock(
    *, compartment: Compartment, actor: User, request: HttpRequest | None = None
) -> Compartment:
    compartment = (
        Compartment.objects.select_for_update().select_related("site__district").get(pk=compartment.pk)
    )
    if compartment.locked_at is None:
        raise LockerError("not_locked", _("This compartment is not locked."))
    now = timezone.now()
    compartment.locked_at = None
    compartment.unlocked_at = now  # earlier wrong codes no longer count towards the next lock
    compartment.save(update_fields=["locked_at", "unlocked_at"])
    audit_log(
        actor=actor,
        action="lockers.compartment.unlocked",
        target=compartment,
        district=compartment.site.district,
        request=request,
        data={"site": compartment.site_id, "compartment": compartment.label},
    )
    return compartment
