"""Kiosk devices: each authenticates with a token shown once, of which only the SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from portal.audit import audit_log
from portal.models import User

from ..models import LockerDevice, LockerSite


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
