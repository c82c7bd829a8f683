"""Error reporting with sentry-sdk: off unless SENTRY_DSN is set, and no personal data leaves Hana.

send_default_pii=False keeps users, cookies and client addresses out; `scrub` then removes what can
still slip in through messages, exception values, local variables and breadcrumbs: email addresses,
phone numbers, resident registration numbers (주민등록번호, even though Hana never stores one: a
refused form value can be in an exception), request bodies, cookies, query strings and auth headers.
"""

from __future__ import annotations

import re
from typing import Any

from portal.identifiers import replace_identifiers

REDACTED = "[redacted]"

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Korean phone numbers: mobile 010-1234-5678, Seoul 02-123-4567, regional 031-123-4567, with or without
# separators, and +82 10 ...
PHONE = re.compile(r"(?<!\d)(?:\+82[-\s]?|0)(?:1[016789]|2|[3-6][1-5]|70)[-\s.]?\d{3,4}[-\s.]?\d{4}(?!\d)")

SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-csrftoken", "proxy-authorization"})
SENSITIVE_KEYS = re.compile(
    r"pass|secret|token|key|session|csrf|auth|(?<!status_)code|cookie|phone|email|address|name", re.I
)


def scrub_text(text: str) -> str:
    # Resident and foreigner registration numbers: the core's one pattern (portal.identifiers).
    return PHONE.sub(REDACTED, replace_identifiers(EMAIL.sub(REDACTED, text), REDACTED))


def _scrub(value: Any, depth: int = 0) -> Any:
    if depth > 20:
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: REDACTED if isinstance(key, str) and SENSITIVE_KEYS.search(key) else _scrub(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item, depth + 1) for item in value)
    return value


def _scrub_request(request: dict) -> dict:
    request = dict(request)
    for field in ("data", "cookies", "query_string", "env"):
        if field in request:
            request[field] = REDACTED
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: REDACTED if name.lower() in SENSITIVE_HEADERS else scrub_text(str(value))
            for name, value in headers.items()
        }
    if isinstance(request.get("url"), str):
        request["url"] = scrub_text(request["url"])
    return request


def scrub(event: dict, hint: dict | None = None) -> dict:
    """sentry-sdk's before_send (and before_send_transaction): the event without personal data."""
    event = dict(event)
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    event.pop("user", None)
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra", "contexts", "tags", "threads"):
        if key in event:
            event[key] = _scrub_structure(event[key])
    return event


# Structural keys Sentry needs to group and show an event; their values are not personal data.
_KEEP = frozenset(
    {
        "type",
        "module",
        "filename",
        "abs_path",
        "function",
        "lineno",
        "colno",
        "in_app",
        "mechanism",
        "platform",
        "level",
        "category",
        "timestamp",
        "trace_id",
        "span_id",
        "op",
        "status",
        "runtime",
        "os",
        "celery_task_id",
    }
)


def _scrub_structure(value: Any, depth: int = 0) -> Any:
    """Like _scrub, but for Sentry's own structures: frames' local variables ("vars") are dropped whole
    (a form's cleaned data, a household row); strings everywhere else are scrubbed."""
    if depth > 30:
        return REDACTED
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key == "vars":
                result[key] = {}
            elif key in _KEEP:
                result[key] = item
            elif key in {"data", "params"} and isinstance(item, dict):
                result[key] = _scrub(item, depth + 1)
            else:
                result[key] = _scrub_structure(item, depth + 1)
        return result
    if isinstance(value, list | tuple):
        return [_scrub_structure(item, depth + 1) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float, release: str | None = None) -> bool:
    """Start sentry-sdk when a DSN is given; False (and nothing imported) when not."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        include_local_variables=False,  # frames' locals hold forms and rows: never sent
        max_request_body_size="never",
        before_send=scrub,
        before_send_transaction=scrub,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
    return True
