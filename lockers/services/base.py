"""What the parcel-locker services share: the refusal, the pickup code's hash, the district's fee policy,
and the context of the messages about a delivery."""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from portal.errors import DomainError
from portal.models import User
from portal.timeutils import to_local

from ..models import Compartment, Delivery, DeliveryStatus, LockerPolicy, LockerSite

S = DeliveryStatus


@dataclass
class LockerError(DomainError):
    """A refusal of the locker services. Its HTTP status by code (portal.api.errors answers it): a kiosk
    that is not recognised is a 401 asking for its device token, a guessed-at compartment 423."""

    status_by_code = {
        "invalid_device": 401,
        "compartment_locked": 423,
        "too_many_attempts": 429,
        "unknown_compartment": 404,
        "no_parcel": 404,
        "not_found": 404,
        "full": 409,
        "busy": 409,
    }

    def headers(self) -> dict[str, str]:
        # A 401 names the scheme the kiosk must authenticate with.
        return {"WWW-Authenticate": "Device"} if self.code == "invalid_device" else {}


def code_hash(delivery_id: int, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{delivery_id}:{code}".encode(), hashlib.sha256
    ).hexdigest()


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


def when(moment: datetime) -> str:
    """A moment as Seoul's wall-clock time, for messages."""
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def delivery_context(
    delivery: Delivery, compartment: Compartment, site: LockerSite, policy: LockerPolicy
) -> dict:
    return {
        "reference": delivery.reference or "",
        "site": site.name,
        "address": site.address,
        "compartment": compartment.label,
        "date": when(delivery.deposited_at),
        "free_until": when(free_until(delivery, policy)),
        "hold_until": when(hold_until(delivery, policy)),
        "daily_fee": f"{policy.daily_fee:,}",
        "link": f"{settings.SITE_URL}/lockers/parcels/",
    }


def district_caseworkers(district_id: int):
    return User.objects.filter(
        district_id=district_id, role=User.Role.CASEWORKER, is_active=True, is_staff=True
    ).order_by("pk")
