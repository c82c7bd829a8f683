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
