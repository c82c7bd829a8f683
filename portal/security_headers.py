"""Response headers that keep a resident's data in the browser that asked for it (issue 14).

- Permissions-Policy: the portal never uses the camera, microphone, location, payment or USB APIs, so
  no page (nor anything injected into one) may ask the browser for them.
- Cache-Control: a response rendered for a logged-in visitor (their profile, applications, bookings,
  parcels, inbox, exports, the admin) is `private, no-store`: no proxy keeps it and the browser does
  not write it to disk, so the next person at a shared PC or a library terminal cannot bring it back
  with the back button or from the disk cache. Responses that are already `public` are left alone:
  portal.pagecache serves the anonymous pages that way and only ever to anonymous requests.
- /csp-report: where browsers send Content-Security-Policy violations; logged, bounded in size and
  rate, answered with 204.
"""

from __future__ import annotations

import json
import logging

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .clientip import client_ip

logger = logging.getLogger("hana.csp")

# Browsers send one report per violation; a page with a broken asset can send dozens at once.
REPORT_MAX_BYTES = 16 * 1024
REPORTS_PER_MINUTE = 30


def _permissions_policy_value() -> str:
    features = getattr(settings, "PERMISSIONS_POLICY", {})
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


def _is_authenticated(request: HttpRequest) -> bool:
    # DRF writes the user it authenticated (session or token) back onto the HttpRequest, replacing the
    # lazy one. A lazy user nobody looked at, with no session cookie, is anonymous: reading it would
    # open the session and add `Vary: Cookie` to public answers that never touched one.
    user = request.__dict__.get("user")
    if user is None:
        return False
    if (
        isinstance(user, SimpleLazyObject)
        and user._wrapped is empty
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return False
    return user.is_authenticated


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every response and `private, no-store` to every personal one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = _permissions_policy_value()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        cache_control = response.get("Cache-Control", "")
        # `public`: portal.pagecache's anonymous copy; `no-store`: the view already forbade keeping it.
        if "public" not in cache_control and "no-store" not in cache_control and _is_authenticated(request):
            make_no_store(response)
        return response


def make_no_store(response: HttpResponse) -> None:
    """Nothing may keep this response: not a shared cache, not the browser's disk or history cache."""
    # max-age or no-cache set by a view would only contradict no-store; drop them.
    for directive in ("max-age", "s-maxage", "no-cache", "public"):
        if directive in response.get("Cache-Control", ""):
            response.headers.pop("Cache-Control", None)
            break
    patch_cache_control(response, private=True, no_store=True)
    response.headers.pop("Expires", None)
    patch_vary_headers(response, ("Cookie",))


def _over_rate(request: HttpRequest) -> bool:
    key = f"csp-report:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, 60):
        return False
    try:
        return cache.incr(key) > REPORTS_PER_MINUTE
    except ValueError:  # expired between add and incr, or the cache is unreachable
        return False


def _summary(body: bytes) -> list[dict]:
    """The fields worth logging of a report in either format (report-uri's object or Reporting API's list)."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return []
    reports = payload if isinstance(payload, list) else [payload]
    summaries = []
    for report in reports[:10]:
        if not isinstance(report, dict):
            continue
        inner = report.get("csp-report") or report.get("body") or {}
        if not isinstance(inner, dict):
            continue
        summaries.append(
            {
                key: str(inner.get(key) or inner.get(alt) or "")[:300]
                for key, alt in (
                    ("document-uri", "documentURL"),
                    ("violated-directive", "effectiveDirective"),
                    ("blocked-uri", "blockedURL"),
                    ("source-file", "sourceFile"),
                    ("line-number", "lineNumber"),
                )
            }
        )
    return summaries


@csrf_exempt  # browsers send reports without a token (and without the visitor's cookies)
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log a browser's Content-Security-Policy violation report. Always 204: a reporter learns nothing."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if 0 < length <= REPORT_MAX_BYTES and not _over_rate(request):
        body = request.read(REPORT_MAX_BYTES)
        for summary in _summary(body):
            logger.warning("csp violation", extra={"csp": summary})
    return HttpResponse(status=204)


class CachedPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy written once per process instead of once per response.

    The policy comes from settings alone unless a view changed it (the @csp_update / @csp_replace /
    @csp_exempt decorators mark the response) or used a nonce (marks the request); those responses go
    through django-csp unchanged. Building the header string twice a response (the policy and the
    report-only one) was about a tenth of a cheap request's time.
    """

    _PER_RESPONSE = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def __init__(self, get_response):
        super().__init__(get_response)
        self._headers = []
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            value = build_policy(report_only=report_only)
            if value:
                prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
                self._headers.append((header, value, prefixes))

    def process_response(self, request: HttpRequest, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in self._PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, value, prefixes in self._headers:
            if header not in response and not (prefixes and request.path_info.startswith(prefixes)):
                response[header] = value
        # As django-csp does: a nonce asked for after the header was written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
