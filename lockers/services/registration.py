"""Signing a resident up for a locker site: parcels can then be left for them there."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from households.models import Household
from portal.audit import audit_log
from portal.models import User

from ..models import LockerRegistration, LockerSite
from .base import LockerError


def sms_household(user: User) -> Household | None:
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
    if sms_household(user) is None:
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
