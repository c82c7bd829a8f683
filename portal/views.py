"""Site-wide pages: the health check and error pages (the home page is the programs app's)."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

from . import heartbeat, retention
from .api.errors import error_body, too_large_message

# What /healthz answers 503 for, and what only makes it "degraded" (200). The orchestrator restarts a
# web node, or takes it out of the load balancer, on 503; that must be for what the node cannot serve
# without and not for what a restart cannot mend:
# - fatal: the database (no page works without it).
# - degraded: the cache (portal.cache serves without an unreachable Redis: pages are computed afresh,
#   throttles let requests through), the broker (saved work waits in the outbox and is relayed when it
#   returns: delayed, not lost; restarting every web node would turn a background outage into a full
#   one), beat's heartbeat (scheduled work is late; the web is fine) and storage (uploads and downloads
#   fail, everything else works).
FATAL = frozenset({"database"})


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure, whatever its type
        return {"status": "fail", "error": exc.__class__.__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


# The broker and storage probes open a connection or write a file: an anonymous client hammering
# /healthz must not turn each request into one. Each process answers them from its last result for a
# few seconds (the orchestrator probes every 15 s or so, so it still sees a fresh one).
PROBE_MEMO_SECONDS = 10.0
# The cache probe (a write and a read-back) and the heartbeat read are two and one round trips to Redis:
# remembered for a second or two, so that a load balancer probing every second still sees each
# process's Redis checked about once a second and a flood of /healthz costs no Redis traffic. The
# database probe stays live: it is the one that answers 503.
CACHE_MEMO_SECONDS = 2.0
_memo: dict[str, tuple[float, object]] = {}


def _remembered(name: str, seconds: float, compute):
    now = time.monotonic()
    remembered = _memo.get(name)
    if remembered is not None and now - remembered[0] < seconds:
        return remembered[1]
    result = compute()
    _memo[name] = (now, result)
    return result


def _check_memoized(name: str, probe, seconds: float | None = None) -> dict:
    return _remembered(name, PROBE_MEMO_SECONDS if seconds is None else seconds, lambda: _check(probe))


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache read-back failed")


def _broker() -> None:
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage() -> None:
    """Write, read back and delete a tiny file through the default storage (S3 or local): the same
    calls uploads make, and no .path(), which object storage does not have."""
    name = default_storage.save(f"healthz/probe-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage read-back failed")
    finally:
        default_storage.delete(name)


def _last_beat() -> float | None:
    """heartbeat.last_beat(), None when unknown or the cache does not answer (the cache's own check
    reports a broken cache)."""
    try:
        return heartbeat.last_beat()
    except Exception:  # noqa: BLE001 - as heartbeat.age_seconds: unknown, not a failure of beat
        return None


def _beat() -> dict:
    if not settings.CELERY_BROKER_URL:
        return {"status": "not_configured", "detail": "no beat without a broker: tasks run in-process"}
    # The time of the last beat is remembered briefly, its age is computed now.
    last = _remembered("beat", CACHE_MEMO_SECONDS, _last_beat)
    age = max(time.time() - last, 0.0) if last is not None else None
    if age is None:
        return {"status": "stale", "detail": "no heartbeat from beat seen yet"}
    if age > heartbeat.STALE_AFTER_SECONDS:
        return {"status": "stale", "detail": f"last heartbeat {int(age)} s ago", "age_seconds": int(age)}
    return {"status": "ok", "age_seconds": int(age)}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check(_database), "cache": _check_memoized("cache", _cache, CACHE_MEMO_SECONDS)}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_memoized("broker", _broker)
    else:
        checks["broker"] = {"status": "not_configured", "detail": "tasks run in-process"}
    checks["beat"] = _beat()
    checks["storage"] = _check_memoized("storage", _storage)
    failing = sorted(name for name, c in checks.items() if c["status"] not in {"ok", "not_configured"})
    fatal = [name for name in failing if name in FATAL]
    body: dict = {"status": "fail" if fatal else "degraded" if failing else "ok", "checks": checks}
    if failing:
        body["degraded"] = failing
    return JsonResponse(body, status=503 if fatal else 200)


# The language switch is on every page, the shared cached ones too, so its form carries no CSRF token (a
# token is one visitor's and would keep the page out of the shared cache, or leak into it). The view
# sets nothing but the visitor's language cookie, so a forged request can at worst switch someone's
# pages to the other language; Django's view still checks that `next` stays on this site.
set_language = csrf_exempt(django_set_language)


# --- error pages: under /api/ the API's JSON error shape, elsewhere the HTML pages ----------------------
# Django answers these when no view did: a path no route matches (/api/v1/bookings/abc/), a body over
# DATA_UPLOAD_MAX_MEMORY_SIZE, a crash. An API client must get the documented JSON for those too.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        error_body(status, code, message), status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    too_large = isinstance(exception, RequestDataTooBig)
    if _is_api(request):
        if too_large:
            return _api_error(413, "too_large", too_large_message())
        return _api_error(400, "bad_request", _("The request could not be read."))
    response = defaults.bad_request(request, exception)
    if too_large:
        response.status_code = 413
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(403, "permission_denied", _("You do not have permission to do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(404, "not_found", _("There is nothing at this address."))
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(
            500, "server_error", _("Sorry, there is a problem with the service. Please try again later.")
        )
    return render(request, "500.html", status=500)


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice: the retention periods come from the same table the nightly job applies."""
    return render(request, "privacy.html", {"retention_classes": retention.data_classes()})
