"""The gateways' signature: HMAC-SHA256 of the raw request body under INQUIRY_WEBHOOK_SECRET, sent as
``X-Hana-Signature: sha256=<hex>``. Without a configured secret every inbound call is refused."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

HEADER = "HTTP_X_HANA_SIGNATURE"


def sign(body: bytes, secret: str | None = None) -> str:
    key = (secret if secret is not None else settings.INQUIRY_WEBHOOK_SECRET).encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def is_signed(body: bytes, given: str) -> bool:
    if not settings.INQUIRY_WEBHOOK_SECRET or not given:
        return False
    return hmac.compare_digest(sign(body), given.strip())
