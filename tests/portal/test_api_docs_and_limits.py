"""The OpenAPI schema and docs (served locally, no CDN), and API throttling in the error format."""

from __future__ import annotations

import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_schema_describes_the_v1_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/programs/",
        "/api/v1/programs/{id}/",
        "/api/v1/programs/{id}/eligibility/",
        "/api/v1/programs/may-qualify/",
        "/api/v1/me/household/",
    ):
        assert path in paths


def test_docs_page_loads_its_assets_from_this_site(client):
    page = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page


def test_anonymous_clients_are_throttled_with_a_clear_error(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})

    statuses = [client.get("/api/v1/programs/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    body = client.get("/api/v1/programs/").json()
    assert body["error"]["status"] == 429
    assert body["error"]["code"] == "throttled"
    assert body["error"]["message"]


def test_each_limit_governs_its_own_callers(client, monkeypatch):
    # An anonymous limit above the user limit is the anonymous callers' limit: the user one is not
    # applied to them as well (DRF's UserRateThrottle alone counts anonymous callers by address).
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/min", "user": "2/min"})
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"anon": "5/min", "user": "2/min"})

    anonymous = [client.get("/api/v1/programs/").status_code for _ in range(6)]
    assert anonymous == [200] * 5 + [429]

    client.force_login(HouseholdFactory().user)
    logged_in = [client.get("/api/v1/programs/").status_code for _ in range(3)]
    assert logged_in == [200, 200, 429]  # a logged-in user: the user limit, not the anonymous one


def test_a_throttled_caller_is_told_when_the_window_ends_and_is_served_again_after_it(client, monkeypatch):
    from portal.api.throttling import WindowCounterThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    clock = [60.0 * 16_667 + 20]  # 20 s into a minute window
    monkeypatch.setattr(WindowCounterThrottle, "timer", lambda self: clock[0])

    assert [client.get("/api/v1/programs/").status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/api/v1/programs/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 40
    clock[0] += 40
    assert client.get("/api/v1/programs/").status_code == 200


@pytest.mark.redis
def test_concurrent_requests_are_each_counted_once(settings):
    """Fifty threads in the same window on a real Redis: the counter ends at exactly fifty (DRF's
    read-and-write-back list of timestamps loses the requests whose writes cross)."""
    import os
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    from django.core.cache import caches
    from django.test import RequestFactory

    from portal.api.throttling import AnonymousRateThrottle

    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
    request = RequestFactory().get("/api/v1/programs/", REMOTE_ADDR="203.0.113.7")
    request.user = type("Anonymous", (), {"is_authenticated": False})()

    # A scope (so a key) of its own: no FLUSHDB, the broker may share this Redis database.
    scope = f"anon-test-{uuid.uuid4().hex}"

    class Throttle(AnonymousRateThrottle):
        THROTTLE_RATES = {scope: "1000/hour"}
        cache = caches["default"]

    Throttle.scope = scope

    def one(_: int) -> bool:
        return Throttle().allow_request(request, None)

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert all(pool.map(one, range(50)))
    throttle = Throttle()
    throttle.allow_request(request, None)
    window = int(throttle.now // throttle.duration)
    assert caches["default"].get(f"{throttle.get_cache_key(request, None)}:{window}") == 51
