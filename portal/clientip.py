"""The client's address, from settings.TRUSTED_PROXY_COUNT: the one rule for lockout, throttles and logs.

Each trusted proxy in front of gunicorn appends the address it received the request from to
X-Forwarded-For, so with N trusted proxies the client is the N-th address from the right; everything
to the left of it was written by the client and proves nothing. With 0 proxies (the embedded default,
and gunicorn facing clients directly) the socket's address is the client and X-Forwarded-For is
ignored: trusting it is what let anyone dodge the API rate limit by sending a new one each time.

DRF's throttles read the same setting (REST_FRAMEWORK["NUM_PROXIES"]) and pick the same address:
`client_ip` follows DRF's `get_ident` rule (the N-th from the right, or the leftmost when the header is
shorter), so a client counted by the API throttle is the client written to the audit log and the one
django-axes locks out (AXES_CLIENT_IP_CALLABLE points here). Unlike DRF it only ever returns a valid
IP address: a header that is not one (a proxy misconfigured to pass the client's header through)
falls back to the socket address instead of reaching the audit log's address column.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None, *_args) -> str | None:
    """The client's IP address, or None without a request (a task, a management command).

    Extra positional arguments are ignored so django-axes can call it with its own signature.
    """
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    addresses = [part for part in (a.strip() for a in forwarded.split(",")) if part]
    if not addresses:
        return remote
    return _valid(addresses[-min(count, len(addresses))]) or remote
