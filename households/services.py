"""Business operations on a resident's household profile, consents and account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.errors import DomainError
from portal.lockout import forget_login_records
from portal.models import AuditEvent, User
from portal.notifications import notifications_forget_recipient

from .models import Consent, Household
from .phone import phone_changed
from .signals import account_data_requested, account_deleting, household_changed
from .validation import SENSITIVE_FIELDS

PROFILE_FIELDS = (
    "name",
    "birth_date",
    "gender",
    "phone",
    "district",
    "neighbourhood",
    "address_detail",
    "housing_tenure",
    "household_size",
    "monthly_income",
    "employment",
    "income_support",
    "crime_victim",
    "single_parent",
    "disability",
    "notify_by_email",
    "notify_by_sms",
)


@dataclass
class HouseholdError(DomainError):
    """A refusal about the resident's own profile (e.g. it is missing when they apply or book)."""

    # Not a bad request: the account may not do this yet (it can once its address is verified).
    status_by_code: ClassVar[dict[str, int]] = {"email_unverified": 403}


def email_verified(user: User) -> bool:
    """Whether the user's address is verified (allauth's EmailAddress for that very address)."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def applicant_household(user: User) -> Household:
    """The household a user applies, books and requests as: the one check every such service makes.

    Refused when the account's email address is not verified yet (issue 14: residents may log in,
    but not act, before it is), or when the profile or its consent is missing.
    """
    if not email_verified(user):
        raise HouseholdError(
            "email_unverified",
            _(
                "Verify your email address first: open the link we emailed you, or send a new one "
                "from your email settings (Account > Email addresses)."
            ),
        )
    household = (
        Household.objects.select_related("district").filter(user=user, anonymized_at__isnull=True).first()
    )
    profile_consent = Consent.objects.filter(
        user=user, purpose=Consent.Purpose.PROFILE, withdrawn_at__isnull=True
    )
    if household is None or not profile_consent.exists():
        raise HouseholdError(
            "profile_incomplete",
            _("Complete your household profile before you apply: programs decide on it."),
        )
    return household


class ConsentRequired(Exception):
    """The profile consent is missing: without it we may not keep a profile (PIPA art. 15)."""


def active_consents(*, user: User) -> set[str]:
    return set(Consent.objects.filter(user=user, withdrawn_at__isnull=True).values_list("purpose", flat=True))


def consent_version(purpose: str) -> str:
    """The notice version a consent for `purpose` is given under: the purpose's own notice
    (settings.HANA_CONSENT_VERSIONS) or the privacy notice's."""
    return getattr(settings, "HANA_CONSENT_VERSIONS", {}).get(purpose, settings.HANA_PRIVACY_CONSENT_VERSION)


@transaction.atomic
def consent_give(*, user: User, purpose: str, request: HttpRequest | None = None) -> Consent:
    """Record a consent (idempotent: an active one for the same purpose is returned as it is)."""
    existing = Consent.objects.select_for_update().filter(
        user=user, purpose=purpose, withdrawn_at__isnull=True
    )
    consent = existing.first()
    if consent is not None:
        return consent
    consent = Consent.objects.create(
        user=user, purpose=purpose, version=consent_version(purpose), given_at=timezone.now()
    )
    audit_log(
        actor=user,
        action="households.consent.given",
        target=consent,
        subject_user_id=user.pk,
        request=request,
        data={"purpose": purpose, "version": consent.version},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, purpose: str, request: HttpRequest | None = None) -> bool:
    """Withdraw a consent. Withdrawing the sensitive-data consent erases those answers at once.

    The profile consent is withdrawn by deleting the account (account_delete), since the profile
    cannot be kept without it; this function refuses it.
    """
    if purpose == Consent.Purpose.PROFILE:
        raise ValueError("the profile consent is withdrawn by deleting the account")
    updated = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not updated:
        return False
    if purpose == Consent.Purpose.SENSITIVE:
        Household.objects.filter(user=user).update(
            **dict.fromkeys(SENSITIVE_FIELDS), updated_at=timezone.now()
        )
    audit_log(
        actor=user,
        action="households.consent.withdrawn",
        subject_user_id=user.pk,
        request=request,
        data={"purpose": purpose},
    )
    return True


@transaction.atomic
def household_save(
    *,
    user: User,
    data: dict[str, Any],
    consents: set[str] | None = None,
    request: HttpRequest | None = None,
) -> Household:
    """Create or update the user's household profile from validated `data`.

    `consents` are purposes the resident ticked on the same form; they are recorded first, so the
    profile is never stored without its consent.
    """
    for purpose in consents or ():
        consent_give(user=user, purpose=purpose, request=request)
    given = active_consents(user=user)
    if Consent.Purpose.PROFILE not in given:
        raise ConsentRequired
    values = {name: data[name] for name in PROFILE_FIELDS if name in data}
    if Consent.Purpose.SENSITIVE not in given:
        values.update(dict.fromkeys(SENSITIVE_FIELDS))
    household = Household.objects.select_for_update().filter(user=user).first()
    created = household is None
    if created:
        household = Household(user=user)
    changed = sorted(name for name, value in values.items() if getattr(household, name, None) != value)
    old_phone = household.phone
    for name, value in values.items():
        setattr(household, name, value)
    if not created and "phone" in changed:
        # A new number is a stranger's until proven otherwise: nothing is texted to it before that.
        phone_changed(household=household, old_phone=old_phone, request=request)
    household.full_clean(exclude=["user"])
    household.save()
    audit_log(
        actor=user,
        action="households.profile.created" if created else "households.profile.updated",
        target=household,
        subject_user_id=user.pk,
        district=household.district,
        request=request,
        # Field names only: the audit log must not become a second copy of the personal data.
        data={"fields": changed},
    )
    if changed:
        # Outreach (programs) looks again for programs the household now qualifies for.
        household_changed.send(sender=Household, household=household, fields=changed)
    return household


def account_data_export(*, user: User, request: HttpRequest | None = None) -> dict[str, Any]:
    """Everything Hana holds about the user, as a JSON-ready dict (PIPA art. 35 right of access)."""
    household = Household.objects.select_related("district", "neighbourhood").filter(user=user).first()
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "household": None,
        "consents": [
            {
                "purpose": c.purpose,
                "version": c.version,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in Consent.objects.filter(user=user).order_by("given_at")
        ],
        "activity": [
            {"time": e.created_at.isoformat(), "action": e.action}
            for e in AuditEvent.objects.filter(subject_user_id=user.pk).order_by("created_at").iterator()
        ],
    }
    for _receiver, sections in account_data_requested.send(sender=Household, user=user, household=household):
        data.update(sections or {})
    if household is not None:
        record = {}
        for name in PROFILE_FIELDS:
            value = getattr(household, name)
            if name in ("district", "neighbourhood"):
                value = value.name if value is not None else None
            elif isinstance(value, date):
                value = value.isoformat()
            record[name] = value
        record["created_at"] = household.created_at.isoformat()
        record["updated_at"] = household.updated_at.isoformat()
        data["household"] = record
    audit_log(
        actor=user,
        action="households.data.exported",
        subject_user_id=user.pk,
        district=household.district if household else None,
        request=request,
    )
    return data


@transaction.atomic
def account_delete(*, user: User, request: HttpRequest | None = None) -> None:
    """Delete an account: identity is erased, statistics-only facts are kept (PIPA art. 21, 28-7).

    Kept without identity: birth year (as 1 January), gender, district and 행정동, tenure, household
    size, employment — enough for age-band and area statistics, not enough to single anyone out.
    Erased: name, contact details, street address, exact income, public assistance status and every
    sensitive circumstance. The user row stays (other records point to it) but can never log in.
    """
    household = Household.objects.select_for_update().filter(user=user).first()
    now = timezone.now()
    if household is not None:
        household.name = ""
        household.phone = ""
        household.address_detail = ""
        household.birth_date = household.birth_date.replace(month=1, day=1)
        household.monthly_income = None
        household.income_support = ""
        for name in SENSITIVE_FIELDS:
            setattr(household, name, None)
        household.notify_by_email = household.notify_by_sms = False
        household.anonymized_at = now
        household.save()
    Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
    # Each app above ends what the account had under way and erases what the resident typed or
    # uploaded (applications and their documents, bookings, kit requests, parcels …) its own way.
    account_deleting.send(sender=Household, user=user, household=household, now=now, request=request)
    # Then the core's own records of the person: queued messages and the outbox's addresses, and the
    # login-failure records that keep the address typed.
    notifications_forget_recipient(user=user)
    forget_login_records(user.email)
    _forget_sign_in(user)
    audit_log(
        actor=user,
        action="households.account.deleted",
        subject_user_id=user.pk,
        district=household.district if household else None,
        request=request,
    )
    user.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
    user.display_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _forget_sign_in(user: User) -> None:
    """allauth's records of the account: its email addresses (confirmed or not) and its sessions, each
    ended (the device and address kept for the sessions page go with them)."""
    EmailAddress.objects.filter(user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()
    UserSession.objects.filter(user=user).delete()
