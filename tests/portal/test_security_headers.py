"""Content-Security-Policy, Permissions-Policy and `no-store` on every personal-data response (issue 14)."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, book, space_with_room

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_every_page_carries_the_strict_policy(client):
    response = client.get(reverse("home"))
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]  # no 'unsafe-inline', no nonce: nothing inline is left
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["report-uri"] == ["/csp-report"]
    assert "Content-Security-Policy-Report-Only" not in response


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(client, settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy
    response = client.get(reverse("home"))
    assert "Content-Security-Policy" not in response
    assert _directives(response["Content-Security-Policy-Report-Only"])["style-src"] == ["'self'"]


def test_a_cached_public_page_keeps_its_policy(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get(reverse("programs:catalog"))
    again = client.get(reverse("programs:catalog"))
    assert first["Content-Security-Policy"] == again["Content-Security-Policy"]


def test_the_api_docs_page_runs_under_the_same_policy(client):
    docs = client.get(reverse("api-docs"))
    policy = _directives(docs["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    html = docs.content.decode()
    assert "<style" not in html and not re.search(r"<script>", html)
    # Swagger UI's start-up script is a file of its own (drf-spectacular's split view), not inline.
    script = client.get(reverse("api-docs") + "?script")
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]


def test_permissions_policy_denies_the_device_features(client):
    header = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header


# --- no-store ----------------------------------------------------------------------------------------


@pytest.fixture
def resident_pages(resident):
    household = resident.household
    application = ApplicationFactory(household=household)
    room = space_with_room()
    booking = book(room, household=household, start="2026-12-20 10:00", end="2026-12-20 11:00")
    return [
        reverse("households:profile"),
        reverse("households:profile_edit"),
        reverse("households:consents"),
        reverse("households:data_export"),
        reverse("households:account_delete"),
        reverse("households:data_access"),
        reverse("programs:application_list"),
        reverse("programs:application_detail", args=[application.pk]),
        reverse("spaces:booking_detail", args=[booking.pk]),
        reverse("safety:request_list"),
        reverse("lockers:parcels"),
        reverse("inbox"),
        "/api/v1/me/household/",
        "/api/v1/me/data-access/",
        f"/api/v1/applications/{application.pk}/",
        f"/api/v1/bookings/{booking.pk}/",
        "/api/v1/inbox/",
        "/api/v1/safety/requests/",
        "/api/v1/lockers/deliveries/",
    ]


def _is_no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


def test_every_page_of_a_residents_own_data_is_no_store(client, resident, resident_pages, settings):
    settings.PAGE_CACHE_ENABLED = True
    client.force_login(resident)
    for url in resident_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _is_no_store(response), (url, response.get("Cache-Control"))


def test_admin_and_export_pages_are_no_store(client, city_admin):
    client.force_login(city_admin)
    for url in (reverse("admin:index"), "/admin/programs/application/", reverse("exports:form")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _is_no_store(response), (url, response.get("Cache-Control"))


def test_a_logged_in_visitor_gets_even_public_pages_no_store(client, resident, settings):
    # The catalogue shows a logged-in resident their own eligibility badges.
    settings.PAGE_CACHE_ENABLED = True
    client.force_login(resident)
    assert _is_no_store(client.get(reverse("programs:catalog")))


def test_anonymous_public_pages_stay_shared(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    for url in (reverse("programs:catalog"), "/api/v1/programs/"):
        client.get(url)
        response = client.get(url)
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "no-store" not in cache_control, url


def test_an_anonymous_api_answer_does_not_start_varying_on_cookies(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    response = client.get("/api/v1/programs/")
    assert "no-store" not in response.get("Cache-Control", "")


# --- /csp-report -------------------------------------------------------------------------------------


REPORT = {
    "csp-report": {
        "document-uri": "https://hana.example.kr/programs/",
        "violated-directive": "style-src-attr",
        "blocked-uri": "inline",
        "source-file": "https://hana.example.kr/static/x.js",
        "line-number": 3,
    }
}


def test_a_violation_report_is_logged_without_a_csrf_token(caplog):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="hana.csp"):
        response = client.post("/csp-report", json.dumps(REPORT), content_type="application/csp-report")
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "hana.csp"]
    assert record.csp["violated-directive"] == "style-src-attr"
    assert record.csp["blocked-uri"] == "inline"


def test_reporting_api_format_is_understood(client, caplog):
    body = [
        {"type": "csp-violation", "body": {"effectiveDirective": "script-src-elem", "blockedURL": "inline"}}
    ]
    with caplog.at_level(logging.WARNING, logger="hana.csp"):
        client.post("/csp-report", json.dumps(body), content_type="application/reports+json")
    [record] = [r for r in caplog.records if r.name == "hana.csp"]
    assert record.csp["violated-directive"] == "script-src-elem"


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"csp-report": "x"}', b"\xff\xfe"])
def test_a_malformed_report_is_answered_and_ignored(client, body, caplog):
    with caplog.at_level(logging.WARNING, logger="hana.csp"):
        response = client.post("/csp-report", body, content_type="application/csp-report")
    assert response.status_code == 204
    assert not [r for r in caplog.records if r.name == "hana.csp"]


def test_an_oversized_report_is_not_read(client, caplog):
    body = json.dumps({"csp-report": {**REPORT["csp-report"], "padding": "x" * 20_000}})
    with caplog.at_level(logging.WARNING, logger="hana.csp"):
        response = client.post("/csp-report", body, content_type="application/csp-report")
    assert response.status_code == 204
    assert not [r for r in caplog.records if r.name == "hana.csp"]


def test_reports_from_one_address_are_rate_limited(client, caplog, monkeypatch):
    from portal import security_headers

    monkeypatch.setattr(security_headers, "REPORTS_PER_MINUTE", 3)
    with caplog.at_level(logging.WARNING, logger="hana.csp"):
        for _ in range(6):
            assert (
                client.post(
                    "/csp-report", json.dumps(REPORT), content_type="application/csp-report"
                ).status_code
                == 204
            )
    assert len([r for r in caplog.records if r.name == "hana.csp"]) == 3


def test_a_report_must_be_posted(client):
    assert client.get("/csp-report").status_code == 405


def test_the_policy_written_once_per_process_is_django_csps_and_views_may_still_change_it(rf):
    """portal.security_headers.CachedPolicyCSPMiddleware writes the settings' policy from a copy made at
    start-up; a response a view marked (@csp_update) or a request that used a nonce is built afresh."""
    from csp.decorators import csp_update
    from csp.utils import build_policy
    from django.http import HttpResponse

    from portal.security_headers import CachedPolicyCSPMiddleware

    middleware = CachedPolicyCSPMiddleware(lambda request: HttpResponse("ok"))
    plain = middleware(rf.get("/"))
    assert plain["Content-Security-Policy"] == build_policy()

    @csp_update({"img-src": ["https://tiles.example.org"]})
    def view(request):
        return HttpResponse("map")

    updated = CachedPolicyCSPMiddleware(view)(rf.get("/map"))
    assert "https://tiles.example.org" in updated["Content-Security-Policy"]

    def nonce_view(request):
        return HttpResponse(str(request.csp_nonce))

    # Every case answers exactly what django-csp's own middleware answers.
    from csp.middleware import CSPMiddleware

    for handler in (lambda request: HttpResponse("ok"), view, nonce_view):
        ours = CachedPolicyCSPMiddleware(handler)(rf.get("/x"))
        theirs = CSPMiddleware(handler)(rf.get("/x"))
        assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
