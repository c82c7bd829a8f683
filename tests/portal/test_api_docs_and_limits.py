"""The OpenAPI schema and docs (served locally, no CDN), and API throttling in the error format."""

from __future__ import annotations

import pytest
from rest_framework.throttling import AnonRateThrottle

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
