"""The HTTP SMS-gateway adapter against a local fake gateway (http.server on 127.0.0.1, a free port)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.models import Notification
from portal.notifications import notify
from portal.sms import HttpSmsBackend, SmsError, get_backend
from tests.factories import HouseholdFactory

API_KEY = "test-gateway-key"


@dataclass
class FakeGateway:
    url: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)  # extra answer headers
    received: list[dict] = field(default_factory=list)


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.received.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(body),
                }
            )
            self.send_response(fake.status)
            for name, value in fake.headers.items():
                self.send_header(name, value)
            answer = b"" if fake.status == 204 else b"{}"
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_GET(self) -> None:
            fake.received.append({"path": self.path, "method": "GET"})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1/messages"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def backend(gateway: FakeGateway) -> HttpSmsBackend:
    return HttpSmsBackend(gateway.url, API_KEY, "02-880-3000")


def test_posts_json_with_the_bearer_key(gateway):
    backend(gateway).send(to="010-1234-5678", text="[하나] HN-2026-000123 승인")

    assert gateway.received == [
        {
            "path": "/v1/messages",
            "authorization": f"Bearer {API_KEY}",
            "content_type": "application/json; charset=utf-8",
            "json": {"from": "02-880-3000", "to": "010-1234-5678", "text": "[하나] HN-2026-000123 승인"},
        }
    ]


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_any_2xx_is_accepted(gateway, status):
    gateway.status = status

    backend(gateway).send(to="010-1234-5678", text="hello")

    assert len(gateway.received) == 1


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_an_error_answer_raises(gateway, status):
    gateway.status = status

    with pytest.raises(SmsError, match=f"gateway answered {status}"):
        backend(gateway).send(to="010-1234-5678", text="hello")


def test_a_redirect_is_a_failure_and_is_not_followed(gateway):
    """Following it would turn the POST into a GET elsewhere, count that as sent, and carry the key."""
    gateway.status = 302
    gateway.headers = {"Location": "/elsewhere"}

    with pytest.raises(SmsError, match="gateway answered 302"):
        backend(gateway).send(to="010-1234-5678", text="hello")

    assert [r["path"] for r in gateway.received] == ["/v1/messages"]


def test_an_unreachable_gateway_raises():
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(SmsError, match="gateway unreachable"):
        HttpSmsBackend(f"http://127.0.0.1:{port}/", API_KEY, "02").send(to="010-1234-5678", text="x")


def test_a_garbled_answer_raises():
    """A server that answers something other than HTTP is a failure too, reported as SmsError."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_garbage() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        with pytest.raises(SmsError):
            HttpSmsBackend(url, API_KEY, "02").send(to="010-1234-5678", text="x")
    finally:
        thread.join(timeout=5)
        listener.close()


def test_only_http_urls_are_accepted():
    with pytest.raises(SmsError, match="http"):
        HttpSmsBackend("file:///etc/passwd", API_KEY, "02")


def test_settings_choose_the_backend(settings, gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_API_KEY = API_KEY

    chosen = get_backend()

    assert isinstance(chosen, HttpSmsBackend)
    assert chosen.url == gateway.url


@pytest.mark.django_db
def test_notify_to_delivery_through_the_gateway(settings, gateway, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_API_KEY = API_KEY
    settings.SMS_SENDER = "02-880-3000"
    household = HouseholdFactory(notify_by_email=False, notify_by_sms=True, phone="010-9876-5432")

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=household.user,
            template="application.approved",
            event_key="gateway-test:1",
            context={"program": "청년 소셜다이닝", "reference": "HN-2026-000042"},
        )

    sms = Notification.objects.get(channel=Notification.Channel.SMS)
    assert sms.status == Notification.Status.SENT
    assert sms.attempts == 1
    assert len(gateway.received) == 1
    message = gateway.received[0]
    assert message["authorization"] == f"Bearer {API_KEY}"
    assert message["json"]["from"] == "02-880-3000"
    assert message["json"]["to"] == "010-9876-5432"
    assert "HN-2026-000042" in message["json"]["text"]


@pytest.mark.django_db
def test_a_gateway_error_is_recorded_on_the_row(settings, gateway, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_API_KEY = API_KEY
    gateway.status = 500
    household = HouseholdFactory(notify_by_email=False, notify_by_sms=True)

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=household.user,
            template="application.approved",
            event_key="gateway-test:2",
            context={"reference": "HN-2026-000043"},
        )

    sms = Notification.objects.get(channel=Notification.Channel.SMS)
    assert sms.status == Notification.Status.FAILED
    assert sms.last_error == "SmsError: gateway answered 500"
    assert sms.attempts == len(gateway.received) > 1  # retried, every attempt counted
