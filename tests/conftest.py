"""Shared fixtures: personas (a resident, caseworkers of two districts, a manager, a city admin)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Skip, with a reason, the tests that need a service this run does not have."""
    import os

    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL to a Postgres database"))
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL"))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()
