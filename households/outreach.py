"""Outreach: telling a resident about programs they may qualify for, only when they asked for it.

Whether a household hears at all is its live OUTREACH consent (given and withdrawn through
households.services' consent_give/consent_withdraw, so the consents page, the history and the data
download show it like every other consent); how it hears is its OutreachPreference: the in-app inbox
always, email and text messages if chosen, each message at once or in a weekly summary, at most
`weekly_limit` messages a week. Text messages go only to a verified number and never in the quiet hours
(settings.OUTREACH_QUIET_HOURS, Seoul time).

Every message carries an unsubscribe link (`unsubscribe_url`): a signed token naming the household, good
without logging in, so one click (or the mail client's RFC 8058 one-click POST) stops the messages.

The sending itself is programs' (it imports these; households imports no app above it): it selects the
households with `outreach_opted_in_q()`, asks `outreach_channels` and `outreach_may_send` for each, and
tells `outreach_may_send` how many it sent that household in the week before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.errors import DomainError
from portal.models import User
from portal.timeutils import to_local

from .models import OUTREACH_WEEKLY_LIMIT_MAX, Consent, Household, OutreachPreference
from .services import consent_give, consent_withdraw, email_verified
from .signals import household_changed

PURPOSE = Consent.Purpose.OUTREACH
INBOX, EMAIL, SMS = "inbox", "email", "sms"
WEEK = timedelta(days=7)
UNSUBSCRIBE_SALT = "households.outreach.unsubscribe"


@dataclass
class OutreachError(DomainError):
    """A refusal of the outreach choices (the profile is missing, a channel cannot be used, a bad value)."""

    status_by_code = {"no_profile": 404}
    field_by_code = {"no_phone": "by_sms", "weekly_limit": "weekly_limit", "cadence": "cadence"}


# --- who is in ----------------------------------------------------------------------------------------


def outreach_opted_in_q() -> Q:
    """Households that want outreach now: a live OUTREACH consent, an active account, not anonymised.

    For a filter on Household: ``Household.objects.filter(outreach_opted_in_q(), district=...)``.
    """
    return outreach_consented_q() & Q(anonymized_at__isnull=True, user__is_active=True)


def outreach_consented_q() -> Q:
    """The live OUTREACH consent alone, without the account's state: for counting among households
    already known to be live (the impact preview), where joining every account row would double the
    cost of a city-wide count."""
    live_consent = Consent.objects.filter(user=OuterRef("user"), purpose=PURPOSE, withdrawn_at__isnull=True)
    return Q(Exists(live_consent))


def outreach_opted_in(household: Household) -> bool:
    return Household.objects.filter(outreach_opted_in_q(), pk=household.pk).exists()


def outreach_preference(household: Household) -> OutreachPreference:
    """The household's choices; unsaved defaults (inbox only, at once, the default weekly limit) when it
    never chose (the consent given on the consents page alone)."""
    if "outreach_preference" in household._state.fields_cache:
        # Loaded with the household (select_related("outreach_preference")): a sender of hundreds of
        # notices asks once per batch, not once per notice and question.
        preference = household._state.fields_cache["outreach_preference"]
    else:
        preference = OutreachPreference.objects.filter(household=household).first()
    if preference is None:
        preference = OutreachPreference(household=household, weekly_limit=settings.OUTREACH_WEEKLY_LIMIT)
    return preference


# --- opting in and out --------------------------------------------------------------------------------


def _live_household(user: User, *, lock: bool = False) -> Household:
    rows = Household.objects.filter(user=user, anonymized_at__isnull=True)
    household = (rows.select_for_update() if lock else rows).first()
    if household is None:
        raise OutreachError(
            "no_profile", _("Complete your household profile first: we match programs to it.")
        )
    return household


def _clean_choices(
    household: Household, *, by_sms: bool, cadence: str, weekly_limit: int | None
) -> tuple[str, int]:
    if cadence not in OutreachPreference.Cadence.values:
        raise OutreachError("cadence", _("Choose how often we write: at once or once a week."))
    if weekly_limit is None:
        weekly_limit = settings.OUTREACH_WEEKLY_LIMIT
    if isinstance(weekly_limit, bool) or not isinstance(weekly_limit, int):
        raise OutreachError("weekly_limit", _("Enter a whole number of messages a week."))
    if not 1 <= weekly_limit <= OUTREACH_WEEKLY_LIMIT_MAX:
        raise OutreachError(
            "weekly_limit",
            _("Choose between 1 and %(max)d messages a week.") % {"max": OUTREACH_WEEKLY_LIMIT_MAX},
        )
    if by_sms and not household.phone:
        raise OutreachError(
            "no_phone", _("Add your mobile number to your details first, or leave text messages off.")
        )
    return cadence, weekly_limit


@transaction.atomic
def outreach_opt_in(
    *,
    user: User,
    by_email: bool,
    by_sms: bool,
    cadence: str = OutreachPreference.Cadence.IMMEDIATE,
    weekly_limit: int | None = None,
    request: HttpRequest | None = None,
) -> OutreachPreference:
    """Give the OUTREACH consent (if not given yet) and save how the household wants to hear.

    Also the way to change the choices while opted in. `weekly_limit` None: settings.OUTREACH_WEEKLY_LIMIT.
    Text messages may be chosen before the number is verified: none is sent until it is.
    """
    household = _live_household(user, lock=True)
    cadence, weekly_limit = _clean_choices(
        household, by_sms=by_sms, cadence=cadence, weekly_limit=weekly_limit
    )
    consent_give(user=user, purpose=PURPOSE, request=request)
    preference, _created = OutreachPreference.objects.update_or_create(
        household=household,
        defaults={
            "by_email": bool(by_email),
            "by_sms": bool(by_sms),
            "cadence": cadence,
            "weekly_limit": weekly_limit,
        },
    )
    audit_log(
        actor=user,
        action="households.outreach.opted_in",
        target=preference,
        subject_user_id=user.pk,
        district=household.district,
        request=request,
        data={
            "by_email": preference.by_email,
            "by_sms": preference.by_sms,
            "cadence": preference.cadence,
            "weekly_limit": preference.weekly_limit,
        },
    )
    # The programs open now that the household qualifies for are looked for at once (programs' outreach),
    # not only those that open later.
    household_changed.send(sender=Household, household=household, fields=["outreach"])
    return preference


def outreach_opt_out(
    *,
    household: Household | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
    source: str = "web",
) -> bool:
    """Withdraw the OUTREACH consent: no more outreach messages. Idempotent: False when it was not given.

    `source`: "web" (the resident's page or the API) or "link" (the unsubscribe link, no login). The
    choices are kept, so opting in again offers them as they were.
    """
    if source not in ("web", "link"):
        raise ValueError(f"unknown opt-out source {source!r}")
    if (household is None) == (user is None):
        raise ValueError("give a household or a user")
    if user is None:
        user = household.user
    with transaction.atomic():
        withdrawn = consent_withdraw(user=user, purpose=PURPOSE, request=request)
        if withdrawn:
            audit_log(
                actor=user,
                action="households.outreach.opted_out",
                subject_user_id=user.pk,
                request=request,
                data={"source": source},
            )
    return withdrawn


# --- sending: channels and the weekly cap -------------------------------------------------------------


def in_quiet_hours(at: datetime) -> bool:
    """Whether `at` falls in the text-message quiet hours, Seoul time (21:00 included, 08:00 not)."""
    start, end = settings.OUTREACH_QUIET_HOURS
    hour = to_local(at).hour
    if start <= end:
        return start <= hour < end
    return hour >= start or hour < end


def outreach_channels(household: Household, *, at: datetime) -> set[str]:
    """Where an outreach message to the household may go at `at`: "inbox" always, "email" and "sms" if
    chosen — email to a verified address, sms to a verified number outside the quiet hours.

    Empty when the household has not opted in (or its account is deleted): nothing may be sent.
    """
    if not outreach_opted_in(household):
        return set()
    preference = outreach_preference(household)
    channels = {INBOX}
    user = household.user
    if preference.by_email and user.email and email_verified(user):
        channels.add(EMAIL)
    sms_verified = bool(household.phone) and household.phone_verified_at is not None
    if preference.by_sms and sms_verified and not in_quiet_hours(at):
        channels.add(SMS)
    return channels


def outreach_may_send(
    household: Household,
    *,
    at: datetime,
    sent_this_week: int | Callable[[Household, datetime], int],
) -> bool:
    """Whether one more outreach message may go to the household at `at`: it is opted in and fewer than
    its weekly limit went out in the 7 days before `at`.

    `sent_this_week`: that count, or a callable (household, since) -> count, since = at - 7 days (the
    sender's ledger: households does not know programs' notices).
    """
    if not outreach_opted_in(household):
        return False
    count = sent_this_week(household, at - WEEK) if callable(sent_this_week) else sent_this_week
    return count < outreach_preference(household).weekly_limit


# --- the unsubscribe link -----------------------------------------------------------------------------


def unsubscribe_token(household: Household) -> str:
    """A signed token naming the household (no expiry: a link in an old message must still work)."""
    return signing.dumps({"h": household.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(household: Household) -> str:
    """The absolute one-click unsubscribe address, on settings.SITE_URL (for the message and the
    List-Unsubscribe header, with List-Unsubscribe-Post: List-Unsubscribe=One-Click)."""
    path = reverse("outreach_unsubscribe", kwargs={"token": unsubscribe_token(household)})
    return settings.SITE_URL.rstrip("/") + path


def household_for_unsubscribe_token(token: str) -> Household | None:
    """The household a token names; None for a tampered, malformed or unknown one."""
    try:
        payload: Any = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("h"), int):
        return None
    return Household.objects.select_related("user").filter(pk=payload["h"]).first()


# --- the data download and erasure ---------------------------------------------------------------------


def outreach_export(household: Household | None) -> dict[str, Any] | None:
    """The household's outreach choices for the account data download (None when it never chose)."""
    if household is None:
        return None
    if "outreach_preference" in household._state.fields_cache:
        # Loaded with the household (select_related("outreach_preference")): a sender of hundreds of
        # notices asks once per batch, not once per notice and question.
        preference = household._state.fields_cache["outreach_preference"]
    else:
        preference = OutreachPreference.objects.filter(household=household).first()
    if preference is None:
        return None
    return {
        "by_email": preference.by_email,
        "by_sms": preference.by_sms,
        "cadence": preference.cadence,
        "weekly_limit": preference.weekly_limit,
        "updated_at": preference.updated_at.isoformat(),
    }


def outreach_forget(*, user: User) -> int:
    """Delete the household's outreach choices (account deletion)."""
    deleted, _by_model = OutreachPreference.objects.filter(household__user=user).delete()
    return deleted


def outreach_status(household: Household) -> dict[str, Any]:
    """What the resident's page and the API show: opted in or not, since when, the choices."""
    consent = Consent.objects.filter(user=household.user, purpose=PURPOSE, withdrawn_at__isnull=True).first()
    preference = outreach_preference(household)
    return {
        "opted_in": consent is not None and household.anonymized_at is None,
        "opted_in_at": consent.given_at if consent else None,
        "consent_version": consent.version if consent else None,
        "by_email": preference.by_email,
        "by_sms": preference.by_sms,
        "cadence": preference.cadence,
        "weekly_limit": preference.weekly_limit,
        "phone_verified": bool(household.phone and household.phone_verified_at),
        "updated_at": preference.updated_at,
    }
