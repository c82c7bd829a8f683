"""Shared fixtures: personas (a resident, caseworkers of two districts, a manager, a city admin)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_table() -> None:
    """On PostgreSQL the audit table refuses TRUNCATE (portal migration 0009) unless the transaction
    sets hana.audit_maintenance; the test database's flush (after each transactional test) truncates
    every table, so it alone sets it, inside its own transaction. Tests still see the trigger."""
    if connection.vendor != "postgresql":
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    if getattr(DatabaseOperations.execute_sql_flush, "_hana", False):
        return
    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return original(self, ["SELECT set_config('hana.audit_maintenance', 'on', true)", *sql_list])

    execute_sql_flush._hana = True
    DatabaseOperations.execute_sql_flush = execute_sql_flush


def pytest_collection_modifyitems(config, items):
    """Skip, with a reason, the tests that need a service this run does not have."""
    import os

    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL to a Postgres database")
            )
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL"))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Korean: a request in English activates English on the test's thread, and it
    would otherwise leak into the next test's services and renders."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clean_cache(request, settings):
    """Each test starts with an empty cache of its own.

    With REDIS_URL set (CI's second run) the cache is one Redis shared by both xdist workers, and
    cache.clear() flushes it for both: a test relying on a cached value would see the other worker's
    clear. So tests get a private in-memory cache, unless they are about Redis itself. Those are never
    flushed: in CI the cache's Redis database is also the broker's, and a FLUSHDB there dropped the task
    another worker's test had just queued; they use keys of their own instead."""
    if request.node.get_closest_marker("redis") is not None:
        yield
        return
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def uncached_pages(settings):
    """Public pages rendered for every request: for tests that count what rendering a page costs (the
    shared page cache, portal.pagecache, would answer a repeated request from memory, in no query)."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture(autouse=True)
def _forget_remembered_choices():
    """Each test starts without the district list a process remembers (portal.choices): it was read
    from another test's database state, which that test's rollback has undone without a signal."""
    from portal.choices import forget_choices
    from programs.selectors import forget_open_programs

    forget_choices()
    forget_open_programs()
    yield


@pytest.fixture(autouse=True)
def _fresh_health_probes():
    """Each test's /healthz probes its own cache, broker and storage: a result a process remembers
    for a few seconds (portal.views) could be another test's."""
    import portal.views

    portal.views._memo.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Django's PBKDF2 is slow on purpose (a million rounds a password); the suite creates and logs in
    thousands of accounts, so it hashes with MD5, as Django's testing docs suggest. Production's hasher is
    the settings' default, untouched; nothing here tests hashing strength."""
    # First: what new passwords are hashed with. The rest still verify a hash made before the test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tests run tasks in-process even when CI's environment points Celery at Redis; the worker
    integration tests start their own worker and say so."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def resident(db):
    from tests.factories import HouseholdFactory

    return HouseholdFactory().user


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


def _staff(role: str, district_code: str | None, email: str):
    from portal.roles import user_set_role
    from tests.factories import UserFactory, district

    user = UserFactory(email=email)
    return user_set_role(user=user, role=role, district=district(district_code) if district_code else None)


@pytest.fixture
def caseworker_a(db):
    """A caseworker of district A (관악구)."""
    return _staff("caseworker", "11620", "caseworker.a@example.kr")


@pytest.fixture
def caseworker_b(db):
    """A caseworker of district B (서울 중구)."""
    return _staff("caseworker", "11140", "caseworker.b@example.kr")


@pytest.fixture
def program_manager_a(db):
    return _staff("program_manager", "11620", "programs.a@example.kr")


@pytest.fixture
def manager_a(db):
    return _staff("district_manager", "11620", "manager.a@example.kr")


@pytest.fixture
def city_admin(db):
    return _staff("city_admin", None, "admin@example.kr")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call as if its transaction committed: on_commit work (task queueing, which is
    eager in tests) runs when the call returns. Inside a test's wrapping transaction nothing commits,
    so without this a submitted application would never reach its evaluation task."""

    def run(service, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run
