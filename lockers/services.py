"""Parcel lockers: deposit, kiosk pickup by one-time code, fees, reminders, overdue parcels.

The pickup code is generated here with `secrets`, goes into the recipient's SMS and nowhere else: the
delivery keeps an HMAC of it (keyed with SECRET_KEY, salted with the delivery id so equal codes hash
differently), audit events and logs never see it, and the SMS row of the outbox blanks it once sent
(portal.notifications honours `redact_after_send`).

Wrong codes are limited twice: per compartment (the 5th wrong code within 15 minutes locks it and
alerts the district's caseworkers) and per kiosk device (more than 20 in 15 minutes and the device is
refused for a while), so neither guessing one compartment nor sweeping a whole site gets far: a 6-digit
code has a million values.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Household
from portal.audit import audit_log
from portal.models import Notification, User
from portal.notifications import notify

from .models import (
    IN_COMPARTMENT,
    Compartment,
    CompartmentSize,
    Delivery,
    DeliveryStatus,
    LockerDevice,
    LockerPolicy,
    LockerRegistration,
    LockerSite,
    PickupAttempt,
    PickupOutcome,
)

logger = logging.getLogger(__name__)
S = DeliveryStatus

CODE_DIGITS = 6
ATTEMPT_WINDOW = timedelta(minutes=15)
COMPARTMENT_WRONG_CODE_LIMIT = 5  # the 5th wrong code within the window locks the compartment
DEVICE_WRONG_CODE_LIMIT = 20  # more than this many within the window and the device is refused
DEPOSIT_RETRIES = 3


@dataclass
class LockerError(Exception):
    """A refusal the user can act on. `code` is stable for the API; `message` is translated."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


# --- secrets -----------------------------------------------------------------------------------------


def code_hash(delivery_id: int, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{delivery_id}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


# --- policy and fees ---------------------------------------------------------------------------------


def policy_for(district_id: int) -> LockerPolicy:
    """The district's policy, or the defaults (48 free hours, 1,000원 a day, 7 days) when it has none."""
    return LockerPolicy.objects.filter(district_id=district_id).first() or LockerPolicy(
        district_id=district_id
    )


def free_until(delivery: Delivery, policy: LockerPolicy) -> datetime:
    return delivery.deposited_at + timedelta(hours=policy.free_hours)


def hold_until(delivery: Delivery, policy: LockerPolicy) -> datetime:
    return delivery.deposited_at + timedelta(days=policy.max_hold_days)


def fee_due(*, deposited_at: datetime, at: datetime, policy: LockerPolicy) -> int:
    """Nothing within the free hours; after them the daily fee for every day started."""
    over = at - deposited_at - timedelta(hours=policy.free_hours)
    if over <= timedelta(0):
        return 0
    return math.ceil(over / timedelta(days=1)) * policy.daily_fee


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- registration ------------------------------------------------------------------------------------


def _sms_household(user: User) -> Household | None:
    household = Household.objects.filter(user=user, anonymized_at__isnull=True).first()
    if household is None or not household.phone or not household.notify_by_sms:
        return None
    return household


@transaction.atomic
def locker_register(
    *, user: User, site: LockerSite, request: HttpRequest | None = None
) -> LockerRegistration:
    """Sign a resident up for a site. Idempotent: registering again returns the registration."""
    if not site.is_active:
        raise LockerError("site_closed", _("This locker site is not in service."))
    if _sms_household(user) is None:
        # The pickup code travels by text message only: without one the parcel could not be collected.
        raise LockerError(
            "no_sms",
            _(
                "Add your mobile number and turn on text messages in your details first: "
                "the pickup code is sent by text message."
            ),
        )
    registration, created = LockerRegistration.objects.get_or_create(user=user, site=site)
    if created:
        audit_log(
            actor=user,
            action="lockers.registration.created",
            target=registration,
            subject_user_id=user.pk,
            district=site.district,
            request=request,
            data={"site": site.pk},
        )
    return registration


# --- deposit -----------------------------------------------------------------------------------------


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
    if _sms_household(recipient) is None:
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
    delivery.reference = f"PL-{timezone.localtime(now).year}-{delivery.pk:06d}"
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
            **_context(delivery, compartment, site, policy),
            "code": code,
            # portal.notifications blanks the code from the row once the text message is sent.
            "redact_after_send": True,
        },
    )
    # Only the text message carries the code: the inbox and email rows never hold it, not even briefly
    # (they are blanked in this transaction, before anything commits).
    others = [row.pk for row in rows if row.channel != Notification.Channel.SMS]
    for row in Notification.objects.filter(pk__in=others):
        row.context = {**row.context, "code": "", "redact_after_send": False}
        row.save(update_fields=["context"])
    return delivery


def _context(delivery: Delivery, compartment: Compartment, site: LockerSite, policy: LockerPolicy) -> dict:
    return {
        "reference": delivery.reference or "",
        "site": site.name,
        "address": site.address,
        "compartment": compartment.label,
        "date": _when(delivery.deposited_at),
        "free_until": _when(free_until(delivery, policy)),
        "hold_until": _when(hold_until(delivery, policy)),
        "daily_fee": f"{policy.daily_fee:,}",
        "link": f"{settings.SITE_URL}/lockers/parcels/",
    }


# --- pickup at the kiosk -----------------------------------------------------------------------------


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
                "date": _when(now),
                "link": f"{settings.SITE_URL}/admin/lockers/compartment/{compartment.pk}/change/",
            },
        )
    return True


def district_caseworkers(district_id: int):
    return User.objects.filter(
        district_id=district_id, role=User.Role.CASEWORKER, is_active=True, is_staff=True
    ).order_by("pk")


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
        context={**_context(delivery, compartment, compartment.site, policy), "fee": f"{fee:,}"},
    )
    return None, (delivery, fee)


# --- staff operations --------------------------------------------------------------------------------


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


@transaction.atomic
def delivery_mark_returned(
    *, delivery: Delivery, actor: User, request: HttpRequest | None = None
) -> Delivery:
    """Staff took a parcel out to send it back: the compartment is free again."""
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("compartment__site__district")
        .get(pk=delivery.pk)
    )
    if delivery.status not in IN_COMPARTMENT:
        raise LockerError(
            "invalid_transition",
            _("This delivery is %(status)s: it cannot be returned.")
            % {"status": delivery.get_status_display()},
        )
    previous = delivery.status
    delivery.status = S.RETURNED
    delivery.closed_at = timezone.now()
    delivery.code_hash = ""
    delivery.save(update_fields=["status", "closed_at", "code_hash"])
    audit_log(
        actor=actor,
        action="lockers.delivery.returned",
        target=delivery,
        subject_user_id=delivery.recipient_id,
        district=delivery.compartment.site.district,
        request=request,
        data={"reference": delivery.reference, "from": previous},
    )
    return delivery


@transaction.atomic
def device_create(*, site: LockerSite, name: str, actor: User | None) -> tuple[LockerDevice, str]:
    """A new kiosk device and its token. The token is returned this once and never stored."""
    token = secrets.token_urlsafe(32)
    device = LockerDevice.objects.create(site=site, name=name.strip()[:100], token_hash=token_hash(token))
    audit_log(
        actor=actor,
        action="lockers.device.created",
        target=device,
        district=site.district,
        data={"site": site.pk, "name": device.name},
    )
    return device, token


def device_for_token(token: str) -> LockerDevice | None:
    if not token or len(token) > 200:
        return None
    return (
        LockerDevice.objects.select_related("site")
        .filter(token_hash=token_hash(token), is_active=True, site__is_active=True)
        .first()
    )


# --- scheduled jobs (Celery beat) --------------------------------------------------------------------


def _districts_with_stored_parcels() -> list[int]:
    return list(Delivery.objects.filter(status=S.STORED).values_list("district_id", flat=True).distinct())


def locker_reminders_due(*, now: datetime | None = None) -> int:
    """Remind recipients whose free period ends within the district's reminder time. At most once per
    delivery (claimed with a conditional UPDATE), however often this runs."""
    now = now or timezone.now()
    sent = 0
    for district_id in _districts_with_stored_parcels():
        policy = policy_for(district_id)
        free = timedelta(hours=policy.free_hours)
        ahead = timedelta(hours=policy.reminder_hours_before_free_end)
        # free_until = deposited_at + free lies in (now, now + ahead]
        due = Delivery.objects.filter(
            district_id=district_id,
            status=S.STORED,
            reminded_at__isnull=True,
            deposited_at__gt=now - free,
            deposited_at__lte=now - free + ahead,
        ).values_list("pk", flat=True)
        for pk in list(due[:1000]):
            with transaction.atomic():
                if not Delivery.objects.filter(pk=pk, status=S.STORED, reminded_at__isnull=True).update(
                    reminded_at=now
                ):
                    continue  # another run claimed it, or it was picked up meanwhile
                delivery = Delivery.objects.select_related("compartment__site", "recipient").get(pk=pk)
                compartment = delivery.compartment
                notify(
                    user=delivery.recipient,
                    template="locker.reminder",
                    event_key=f"locker:{pk}:reminder",
                    context=_context(delivery, compartment, compartment.site, policy),
                )
                sent += 1
    return sent


def locker_overdue_due(*, now: datetime | None = None) -> int:
    """Mark parcels past the holding period for return; tell the recipient and the district's staff.

    Idempotent: the move stored → return_marked is a conditional UPDATE, so a parcel is marked (and
    its messages sent) once.
    """
    now = now or timezone.now()
    marked = 0
    for district_id in _districts_with_stored_parcels():
        policy = policy_for(district_id)
        due = Delivery.objects.filter(
            district_id=district_id,
            status=S.STORED,
            deposited_at__lte=now - timedelta(days=policy.max_hold_days),
        ).values_list("pk", flat=True)
        for pk in list(due[:1000]):
            with transaction.atomic():
                if not Delivery.objects.filter(pk=pk, status=S.STORED).update(status=S.RETURN_MARKED):
                    continue
                delivery = Delivery.objects.select_related("compartment__site__district", "recipient").get(
                    pk=pk
                )
                compartment = delivery.compartment
                site = compartment.site
                event = audit_log(
                    actor=None,
                    action="lockers.delivery.return_marked",
                    target=delivery,
                    subject_user_id=delivery.recipient_id,
                    district=site.district,
                    data={"reference": delivery.reference, "from": S.STORED, "to": S.RETURN_MARKED},
                )
                context = _context(delivery, compartment, site, policy)
                notify(
                    user=delivery.recipient,
                    template="locker.return_marked",
                    event_key=f"locker:{pk}:return_marked:{event.pk}",
                    context=context,
                )
                for staff in district_caseworkers(district_id):
                    notify(
                        user=staff,
                        template="locker.overdue_staff",
                        event_key=f"locker:{pk}:overdue_staff:{event.pk}",
                        context={
                            **context,
                            "link": f"{settings.SITE_URL}/admin/lockers/delivery/{pk}/change/",
                        },
                    )
                marked += 1
    return marked
