"""One client address from TRUSTED_PROXY_COUNT: portal.clientip, the audit log and the API throttles."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from portal.audit import audit_log
from portal.clientip import client_ip

CASES = [
    # (trusted proxies, REMOTE_ADDR, X-Forwarded-For, the client)
    (0, "203.0.113.5", None, "203.0.113.5"),
    (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # nobody vouches for the header: ignored
    (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
    (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is on the left
    (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    (2, "10.0.0.3", "198.51.100.1", "198.51.100.1"),  # shorter than the count: the leftmost, as DRF
    (1, "10.0.0.2", None, "10.0.0.2"),
    (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
]


def request_from(remote: str, forwarded: str | None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("count", "remote", "forwarded", "expected"), CASES)
def test_the_client_is_the_nth_address_from_the_right(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip(request_from(remote, forwarded)) == expected


@pytest.mark.parametrize(("count", "remote", "forwarded", "expected"), CASES)
def test_drf_throttles_pick_the_same_client(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    request = request_from(remote, forwarded)

    assert AnonRateThrottle().get_ident(request) == client_ip(request) == expected


def test_the_settings_derive_drf_proxies_from_the_one_setting():
    assert django_settings.REST_FRAMEWORK["NUM_PROXIES"] == django_settings.TRUSTED_PROXY_COUNT
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "portal.clientip.client_ip"


def test_a_forwarded_value_that_is_not_an_address_falls_back_to_the_socket(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", "<script>, not-an-ip")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2", " , ")) == "10.0.0.2"
    assert client_ip(None) is None


@pytest.mark.django_db
def test_the_audit_log_records_the_forwarded_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    event = audit_log(
        actor=None, action="test.viewed", request=request_from("10.0.0.2", "6.6.6.6, 198.51.100.9")
    )

    assert event.ip_address == "198.51.100.9"


@pytest.mark.django_db
def test_without_proxies_a_new_forwarded_for_each_time_does_not_escape_the_api_limit(
    client, settings, monkeypatch
):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/min"})

    statuses = [
        client.get("/api/v1/programs/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(12)
    ]

    assert statuses == [200] * 5 + [429] * 7


@pytest.mark.django_db
def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(client, settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})

    def get(forwarded: str) -> int:
        return client.get(
            "/api/v1/programs/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    first = [get(f"9.9.9.{n}, 198.51.100.1") for n in range(4)]  # a forged left part changes nothing
    second = [get("198.51.100.2") for _ in range(3)]

    assert first == [200, 200, 200, 429]
    assert second == [200, 200, 200]
