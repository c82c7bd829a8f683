"""Verifying a resident's mobile number: a one-time code texted to it, typed back on the site or the API.

Until the number is verified nothing but the verification code is texted to it (portal.notifications:
notify() skips the SMS channel), because a number typed wrong is a stranger's. The code follows the
parcel lockers' rule for secrets: generated with `secrets`, put in the text message and nowhere else —
the row keeps an HMAC keyed with SECRET_KEY (a bare hash of one of a million codes is reversed in a
moment), the outbox row blanks it once sent, audit events never see it.

Abuse limits (settings PHONE_CODE_*): a code lives 10 minutes and survives 5 wrong tries; new codes at
most once a minute and 5 a day, counted per account and per number (a number's HMAC), so the form can
neither guess its way in nor be used to flood someone's phone.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.audit import audit_log
from portal.errors import DomainError
from portal.models import Notification, User
from portal.notifications import notify_sms_to

from .models import Household, PhoneVerification
from .signals import phone_verified

CODE_DIGITS = 6
DAY = timedelta(days=1)


@dataclass
class PhoneVerificationError(DomainError):
    """A refusal of the phone verification. Throttles answer 429 with the wait (Retry-After)."""

    retry_after: int | None = None

    status_by_code = {"too_soon": 429, "daily_limit": 429}
    field_by_code = {
        "wrong_code": "code",
        "expired": "code",
        "too_many_attempts": "code",
        "no_code": "code",
        "invalid_code": "code",
    }

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}

    def extra(self) -> dict[str, int]:
        return {"retry_after": self.retry_after} if self.retry_after else {}


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _keyed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def phone_hash(phone: str) -> str:
    """The number's HMAC, digits only (010-1234-5678 and 01012345678 are one number)."""
    return _keyed("phone:" + "".join(ch for ch in phone if ch.isdigit()))


def code_hash(verification_id: int, code: str) -> str:
    # Salted with the row id: equal codes sent to two people hash differently.
    return _keyed(f"phone-code:{verification_id}:{code}")


def wait_text(seconds: int) -> str:
    """A wait for people: "45 seconds", "3 minutes", "5 hours"."""
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def phone_needs_verification(household: Household | None) -> bool:
    """A number is on the profile and it is not verified yet (the profile shows a notice)."""
    return bool(household and household.phone and household.phone_verified_at is None)


def _live_household(user: User, *, lock: bool) -> Household:
    rows = Household.objects.filter(user=user, anonymized_at__isnull=True)
    household = (rows.select_for_update() if lock else rows).first()
    if household is None or not household.phone:
        raise PhoneVerificationError(
            "no_phone", _("Add your mobile number to your household profile first."), field="phone"
        )
    return household


def _throttle(*, user: User, number: str, now: datetime) -> None:
    """Refuse a new code too soon after the last one, or past the day's limit (per account, per number)."""
    resend = timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)
    recent = PhoneVerification.objects.filter(Q(user=user) | Q(phone_hash=number), created_at__gt=now - DAY)
    sent = list(recent.values_list("user_id", "phone_hash", "created_at"))
    if not sent:
        return
    last = max(created for _u, _p, created in sent)
    if now - last < resend:
        wait = math.ceil((resend - (now - last)).total_seconds())
        raise PhoneVerificationError(
            "too_soon",
            _("A code was just sent. Wait %(wait)s before asking for another one.")
            % {"wait": wait_text(wait)},
            retry_after=wait,
        )
    limit = settings.PHONE_CODE_DAILY_LIMIT
    for mine in (
        [created for uid, _p, created in sent if uid == user.pk],
        [created for _u, phash, created in sent if phash == number],
    ):
        if len(mine) >= limit:
            # The window frees a place when the oldest code in it turns a day old.
            oldest = sorted(mine)[len(mine) - limit]
            wait = max(math.ceil((oldest + DAY - now).total_seconds()), 1)
            raise PhoneVerificationError(
                "daily_limit",
                _("%(limit)d codes were sent in the last 24 hours. You can ask for another in %(wait)s.")
                % {"limit": limit, "wait": wait_text(wait)},
                retry_after=wait,
            )


@transaction.atomic
def phone_verification_start(*, user: User, request: HttpRequest | None = None) -> PhoneVerification:
    """Text a new code to the profile's number. A code sent earlier stops working (only the newest counts)."""
    # The household row lock serializes two clicks of "send": the second sees the first's row and waits.
    household = _live_household(user, lock=True)
    if household.phone_verified_at is not None:
        raise PhoneVerificationError("already_verified", _("Your mobile number is already verified."))
    now = timezone.now()
    number = phone_hash(household.phone)
    _throttle(user=user, number=number, now=now)
    ttl = settings.PHONE_CODE_TTL_MINUTES
    verification = PhoneVerification.objects.create(
        user=user, phone_hash=number, created_at=now, expires_at=now + timedelta(minutes=ttl)
    )
    code = _new_code()
    verification.code_hash = code_hash(verification.pk, code)
    verification.save(update_fields=["code_hash"])
    notify_sms_to(
        user=user,
        address=household.phone,
        template="phone.verification_code",
        event_key=f"phone:{verification.pk}:code",
        # portal.notifications blanks the code from the row once the text message is sent.
        context={"code": code, "minutes": ttl, "redact_after_send": True},
    )
    audit_log(
        actor=user,
        action="households.phone.code_sent",
        target=household,
        subject_user_id=user.pk,
        district=household.district,
        request=request,
        data={"verification": verification.pk},
    )
    return verification


def phone_verification_confirm(*, user: User, code: str, request: HttpRequest | None = None) -> Household:
    """Check the code typed back; right, the number is verified and households announces it.

    A wrong code counts against the code's tries and that count is committed before refusing: the
    refusal must not roll it back, or the 5 tries would be endless.
    """
    typed = "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-")
    if len(typed) != CODE_DIGITS or not typed.isascii() or not typed.isdigit():
        raise PhoneVerificationError("invalid_code", _("Enter the 6-digit code from the text message."))
    refusal: PhoneVerificationError | None = None
    with transaction.atomic():
        household = _live_household(user, lock=True)
        if household.phone_verified_at is not None:
            return household  # already verified (a double submit): nothing to do
        verification = (
            PhoneVerification.objects.select_for_update()
            .filter(user=user)
            .order_by("-created_at", "-pk")
            .first()
        )
        now = timezone.now()
        if (
            verification is None
            or verification.confirmed_at is not None
            # The number changed since the code was sent: the code proves nothing about the new one.
            or verification.phone_hash != phone_hash(household.phone)
        ):
            raise PhoneVerificationError(
                "no_code", _("Ask for a code first: none is waiting for this number.")
            )
        if verification.expires_at <= now:
            raise PhoneVerificationError("expired", _("This code has expired. Ask for a new one."))
        if verification.attempts >= settings.PHONE_CODE_MAX_ATTEMPTS:
            raise PhoneVerificationError(
                "too_many_attempts", _("Too many wrong codes were entered. Ask for a new code.")
            )
        if not hmac.compare_digest(verification.code_hash, code_hash(verification.pk, typed)):
            verification.attempts += 1
            verification.save(update_fields=["attempts"])
            left = settings.PHONE_CODE_MAX_ATTEMPTS - verification.attempts
            if left > 0:
                message = ngettext(
                    "That code is not right. You can try %(left)d more time.",
                    "That code is not right. You can try %(left)d more times.",
                    left,
                ) % {"left": left}
                refusal = PhoneVerificationError("wrong_code", message)
            else:
                refusal = PhoneVerificationError(
                    "too_many_attempts", _("Too many wrong codes were entered. Ask for a new code.")
                )
        else:
            verification.confirmed_at = now
            verification.save(update_fields=["confirmed_at"])
            household.phone_verified_at = now
            household.save(update_fields=["phone_verified_at", "updated_at"])
            audit_log(
                actor=user,
                action="households.phone.verified",
                target=household,
                subject_user_id=user.pk,
                district=household.district,
                request=request,
                data={"verification": verification.pk},
            )
            # In the same transaction: what the apps above send in answer (a parcel's pickup code) is
            # queued on commit with the verification itself.
            phone_verified.send(sender=Household, user=user, household=household, now=now, request=request)
    if refusal is not None:
        raise refusal
    return household


def phone_changed(
    *,
    household: Household,
    old_phone: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> None:
    """The profile's number changed (household_save, or staff in the admin, call it before saving): it
    must be verified again. The caller saves the household."""
    household.phone_verified_at = None
    audit_log(
        actor=actor or household.user,
        action="households.phone.changed",
        target=household if household.pk else None,
        subject_user_id=household.user_id,
        district=household.district,
        request=request,
        # Whether there was a number before, never the numbers themselves.
        data={"had_number": bool(old_phone), "has_number": bool(household.phone)},
    )


def phone_verifications_forget(*, user: User) -> int:
    """The account is being erased: its codes' rows (with the number's HMAC) go too."""
    deleted, _by_model = PhoneVerification.objects.filter(user=user).delete()
    Household.objects.filter(user=user).update(phone_verified_at=None)
    return deleted


def verification_code_stuck(stuck: Notification) -> str:
    """The reaper's answer for a verification text stuck mid-send (registered in HouseholdsConfig.ready):
    the row is cancelled and its code blanked by the reaper; nothing is sent again — the resident asks
    for a new code when none arrives, which is cheaper than risking two codes on the phone."""
    return _("Cancelled: stuck while being sent. Not sent again: the resident can ask for a new code.")
