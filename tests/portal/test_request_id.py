"""The request id: taken from X-Request-ID when sane, else made; returned in the response; on every log
line (JSON or plain), the access line included; carried in the headers of the tasks a request queues."""

from __future__ import annotations

import io
import json
import logging
import re
from types import SimpleNamespace

import pytest

from portal.observability import celery_signals
from portal.observability.logging import PLAIN_FORMAT, HanaJsonFormatter, RequestContextFilter, logging_config
from portal.observability.requestid import request_id_var, task_var

pytestmark = pytest.mark.django_db

HEX32 = re.compile(r"[0-9a-f]{32}")


def test_a_request_without_an_id_gets_a_new_one(client):
    response = client.get("/healthz")

    assert HEX32.fullmatch(response["X-Request-ID"])
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


def test_a_sane_id_from_the_proxy_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="edge-7f3a.01_B")

    assert response["X-Request-ID"] == "edge-7f3a.01_B"


@pytest.mark.parametrize("bad", ["x" * 65, "a b", "id\r\nSet-Cookie: x=1", '{"json":1}', "é"])
def test_an_insane_id_is_replaced(client, bad):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=bad)

    assert HEX32.fullmatch(response["X-Request-ID"])


@pytest.fixture
def json_lines():
    """What the root and access loggers write, through the production filter and JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(HanaJsonFormatter())
    loggers = [logging.getLogger(), logging.getLogger("hana.access")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_every_line_of_a_request_carries_its_id(client, json_lines, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    client.get(
        "/no-such-page/",
        HTTP_X_REQUEST_ID="req-42",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.4",
    )

    lines = json_lines()
    assert lines, "nothing was logged"
    assert {line["request_id"] for line in lines} == {"req-42"}
    access = next(line for line in lines if line["logger"] == "hana.access")
    assert access["client_ip"] == "198.51.100.4"
    assert access["status"] == 404
    assert access["method"] == "GET"
    assert access["level"] == "INFO"
    assert "time" in access


def test_the_access_log_leaves_out_query_strings_and_secret_path_parts(client, json_lines):
    client.get("/api/v1/programs/?search=홍길동")
    client.get("/spaces/feed/secret-feed-token.ics")

    paths = [line["path"] for line in json_lines() if line["logger"] == "hana.access"]
    assert paths[0] == "/api/v1/programs/"
    assert "secret-feed-token" not in paths[1]
    assert "<str:token>" in paths[1]


def test_lines_outside_a_request_say_so():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    RequestContextFilter().filter(record)

    assert (record.request_id, record.task_id, record.task_name) == ("-", "-", "-")
    assert logging.Formatter(PLAIN_FORMAT).format(record).endswith("x [-] hello")


def test_log_format_is_checked_and_json_is_the_production_choice():
    assert logging_config(fmt="json", level="INFO")["handlers"]["console"]["formatter"] == "json"
    assert logging_config(fmt="plain", level="INFO")["handlers"]["console"]["formatter"] == "plain"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        logging_config(fmt="xml", level="INFO")


# --- into Celery ------------------------------------------------------------------------------------


def test_the_id_is_written_into_a_published_tasks_headers():
    headers: dict = {}
    token = request_id_var.set("req-77")
    try:
        celery_signals._publish(headers=headers)
    finally:
        request_id_var.reset(token)

    assert headers[celery_signals.HEADER] == "req-77"


def test_a_published_task_without_a_request_has_no_id():
    headers: dict = {}
    celery_signals._publish(headers=headers)

    assert celery_signals.HEADER not in headers


def test_the_worker_takes_the_id_from_the_message_and_clears_it_after():
    task = SimpleNamespace(name="portal.heartbeat.beat", request=SimpleNamespace(hana_request_id="req-77"))

    celery_signals._prerun(task_id="t-1", task=task)
    seen = (request_id_var.get(), task_var.get())
    celery_signals._postrun(task_id="t-1", task=task)

    assert seen == ("req-77", ("t-1", "portal.heartbeat.beat"))
    assert (request_id_var.get(), task_var.get()) == (None, None)


def test_an_eager_task_keeps_the_requests_id_and_gives_it_back(json_lines):
    from portal import heartbeat

    token = request_id_var.set("req-eager")
    try:
        heartbeat.beat.delay()  # eager in tests: runs here, in the request's context
        after = request_id_var.get()
    finally:
        request_id_var.reset(token)

    assert after == "req-eager"
