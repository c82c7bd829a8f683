"""Bad kiosk device tokens are limited per client address (KIOSK_BAD_TOKEN_LIMIT per window): then 429
with Retry-After for that address only, whatever token it sends, in the request's language."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PICKUP = "/api/v1/kiosk/pickup/"
BODY = {"compartment": "A-01", "code": "000000"}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.KIOSK_BAD_TOKEN_LIMIT = 10
    settings.KIOSK_BAD_TOKEN_WINDOW_MINUTES = 15
    settings.TRUSTED_PROXY_COUNT = 0


def post(token: str, *, ip: str, xff: str | None = None, language: str = "en"):
    client = APIClient()
    extra = {"REMOTE_ADDR": ip, "HTTP_ACCEPT_LANGUAGE": language}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(PICKUP, BODY, format="json", HTTP_AUTHORIZATION=f"Device {token}", **extra)


def test_the_eleventh_bad_token_from_one_address_is_429_with_retry_after(site, device_and_token):
    _device, token = device_and_token
    statuses = [post(f"guess-{n}", ip="203.0.113.5").status_code for n in range(10)]

    refused = post("guess-10", ip="203.0.113.5")

    assert statuses == [401] * 10
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_attempts"
    assert "unrecognised kiosk" in refused.json()["error"]["message"]
    assert 1 <= int(refused["Retry-After"]) <= 15 * 60
    # A blocked address learns nothing more, not even that a token is right.
    assert post(token, ip="203.0.113.5").status_code == 429


def test_other_addresses_and_good_kiosks_are_not_affected(site, device_and_token):
    _device, token = device_and_token
    for n in range(10):
        post(f"guess-{n}", ip="203.0.113.5")

    assert post("guess-x", ip="203.0.113.6").status_code == 401
    assert post(token, ip="203.0.113.7").status_code == 404  # authenticated: no parcel in A-01


def test_a_forged_forwarded_for_does_not_escape_the_count(site):
    for n in range(10):
        post(f"guess-{n}", ip="203.0.113.5", xff=f"198.51.100.{n}")

    assert post("guess-x", ip="203.0.113.5", xff="198.51.100.99").status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(site, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        post(f"guess-{n}", ip="10.0.0.2", xff="198.51.100.1")

    assert post("guess-x", ip="10.0.0.2", xff="198.51.100.1").status_code == 429
    assert post("guess-x", ip="10.0.0.2", xff="198.51.100.2").status_code == 401


def test_the_refusal_is_in_korean_by_default(site):
    for n in range(10):
        post(f"guess-{n}", ip="203.0.113.5")

    refused = post("guess-x", ip="203.0.113.5", language="ko")

    assert refused.status_code == 429
    assert "키오스크" in refused.json()["error"]["message"]
