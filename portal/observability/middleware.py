"""One middleware, first in the chain, that watches every request: it gives the request its id, and
when the answer is ready, it writes the access log line and the request metrics.

The access log is written here rather than by gunicorn: only Django knows the request id, the client
address from TRUSTED_PROXY_COUNT (portal/clientip.py) and the view that answered.
"""

from __future__ import annotations

import logging
import time

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from portal.clientip import client_ip

from . import metrics
from .requestid import HEADER, META_KEY, request_id_var, valid_or_new

access_logger = logging.getLogger("hana.access")

# URL arguments that are secrets (a calendar feed's token): the access log shows the route instead.
SECRET_KWARGS = frozenset({"token", "code", "key", "secret"})


def view_label(request: HttpRequest) -> str:
    """The resolved URL name ("programs:detail"), never the raw path: metric labels stay bounded."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"  # 404s, static files served by WhiteNoise, redirects before the URLconf
    return match.view_name or "unnamed"


def logged_path(request: HttpRequest) -> str:
    """The path without its query string (searches, filters may hold personal data) or secret parts."""
    match = getattr(request, "resolver_match", None)
    if match is not None and SECRET_KWARGS & set(match.kwargs):
        return "/" + match.route
    return request.path


class RequestObservabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = valid_or_new(request.META.get(META_KEY))
        request.request_id = request_id
        # Not reset on the way out: Django logs "Not Found"/"Internal Server Error" after the middleware
        # chain has returned, and a streamed body is produced later still. request_finished clears it.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - started
        response[HEADER] = request_id
        view = view_label(request)
        metrics.observe_request(
            view=view, method=request.method or "", status=response.status_code, seconds=duration
        )
        address = client_ip(request)
        path = logged_path(request)
        access_logger.info(
            '%s "%s %s" %s %.1fms',
            address or "-",
            request.method,
            path,
            response.status_code,
            duration * 1000,
            extra={
                "client_ip": address,
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "view": view,
            },
        )
        return response


@receiver(request_finished, dispatch_uid="hana.observability.clear_request_id")
def clear_request_id(**_kwargs) -> None:
    """The response is closed: lines logged by this thread from now on belong to no request."""
    request_id_var.set(None)
