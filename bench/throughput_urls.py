"""portal.urls plus `/bench/bare`: `HttpResponse("ok")` behind the whole production middleware chain
(sessions, locale, CSRF, auth, OTP, history, messages, axes, the observability middleware's access log
and metrics). Its req/s is the ceiling every page of the throughput rows is divided by."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal import urls as portal_urls

handler404 = portal_urls.handler404
handler500 = portal_urls.handler500


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare", bare, name="bench-bare"), *portal_urls.urlpatterns]
