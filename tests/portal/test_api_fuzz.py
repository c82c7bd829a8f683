"""The API answers what its OpenAPI schema (/api/schema/) says, for every operation and every kind of
caller: schemathesis generates requests from the schema (valid ones, and invalid ones) and checks that
no answer is a 500, and that each answer's status, content type and body are the documented ones.

Four callers: anonymous, a resident (session), a caseworker of one district (session) and a kiosk
(device token), on the demo data (`load_demo`). Requests that change data do change it, inside the
test's transaction. Rate limits are lifted, so a 429 does not hide everything after it (the 429 itself
is documented: portal.api.schema).

HANA_FUZZ_EXAMPLES (default 12) sets the examples per operation and generation mode; `make fuzz` runs a
long one. The examples are drawn from a fixed seed, so a failure in CI happens again on a laptop;
HANA_FUZZ_RANDOM=1 draws new ones. Select with `-m fuzz`, leave out with `-m "not fuzz"`.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import resolve
from drf_spectacular.plumbing import get_view_model
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from demo.loader import load_demo
from portal.models import User

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("HANA_FUZZ_EXAMPLES", "12"))
RANDOM = os.environ.get("HANA_FUZZ_RANDOM") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
KNOWN_IDS = 30  # per model: enough to reach each caller's own rows in the demo data

# Demo accounts (demo/loader.py, demo/lockers.py).
RESIDENT = "resident@hana.demo"
CASEWORKER = "caseworker.gwanak@hana.demo"
KIOSK_TOKEN = "demo-kiosk-gwanak"


@pytest.fixture
def api(settings, monkeypatch):
    """The demo data, no rate limits, and the schema as the running app serves it."""
    load_demo()
    # The throttles read their rates when DRF loads (a class attribute): a rate of None lets all through.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(("anon", "user", "kiosk")))
    settings.KIOSK_BAD_TOKEN_LIMIT = 1_000_000
    # Django's WSGI handler closes the database connection after each request; on PostgreSQL that ends
    # the test's transaction. The test client keeps it open the same way: by not listening.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _session(email: str) -> dict[str, dict[str, str]]:
    """A logged-in session, with the CSRF cookie and header DRF's SessionAuthentication asks of writes."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    csrf = _get_new_csrf_string()
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: csrf},
        "headers": {"X-CSRFToken": csrf},
    }


# What each caller sends with every request: call_and_validate's keyword arguments.
IDENTITIES = {
    "anonymous": dict,
    "resident": lambda: _session(RESIDENT),
    "caseworker": lambda: _session(CASEWORKER),
    "kiosk": lambda: {"headers": {"Authorization": f"Device {KIOSK_TOKEN}"}},
}


@pytest.mark.parametrize("identity", IDENTITIES)
def test_api_answers_as_its_schema_says(api, identity):
    credentials = IDENTITIES[identity]()
    _assert_recognised(api, identity, credentials)
    failures: list[str] = []
    for result in api.get_all_operations():
        operation = result.ok()
        for mode in MODES:
            try:
                _fuzz(operation, mode, credentials)
            # Every operation is fuzzed and all failures reported at once. Several distinct failures of
            # one operation come as a FailureGroup, a BaseExceptionGroup.
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    assert not failures, f"{len(failures)} failing operations as {identity}:\n\n" + "\n\n".join(failures)


def _assert_recognised(api, identity: str, credentials) -> None:
    """The fuzz goes through schemathesis's own transport: check there that the caller is who it says
    (a session cookie it dropped would fuzz every operation as anonymous, and pass)."""
    inbox = api["/api/v1/inbox/"]["GET"].Case().call(**credentials).status_code
    pickup = (
        api["/api/v1/kiosk/pickup/"]["POST"]
        .Case(body={"compartment": "Z-99", "code": "000000"}, media_type="application/json")
        .call(**credentials)
        .status_code
    )
    assert (inbox == 200) == (identity in ("resident", "caseworker")), inbox
    assert (pickup != 401) == (identity == "kiosk"), pickup


def _known_ids(path: str) -> list[int]:
    """Ids of rows the route's view reads (the caller's own and others'), so that detail routes and
    their actions are tried on real records, not only on ids that do not exist."""
    match = resolve(path.replace("{id}", "1"))
    view = match.func.cls(**getattr(match.func, "initkwargs", {}))
    view.swagger_fake_view = True  # get_queryset without a request: the model's empty queryset
    view.action = next(iter((getattr(match.func, "actions", None) or {}).values()), None)
    model = get_view_model(view, emit_warnings=False)
    if model is None:
        return []
    return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:KNOWN_IDS])


def _fuzz(operation, mode: GenerationMode, credentials: dict[str, dict[str, str]]) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    if "{id}" in operation.path:
        strategy = st.one_of(
            strategy,
            *(
                operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
                for pk in _known_ids(operation.full_path)
            ),
        )

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        print_blob=False,
    )
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS, **credentials)

    run()
