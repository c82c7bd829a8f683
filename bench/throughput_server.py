"""The gunicorn under test and plain HTTP to it, for the throughput rows (bench/throughput.py).

HTTP goes through http.client rather than a client library: exact statuses, no redirect followed, exactly
the headers given (the status checks must send what wrk sends).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlencode

from bench.proc_cpu import workers_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-throughput"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class ThroughputError(RuntimeError):
    """The throughput rows cannot be measured (a server that does not start, a login that fails)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- HTTP without a client library: exact statuses, no redirects followed ----------------------------
def request(
    port: int, path: str, *, method: str = "GET", headers: dict | None = None, body: str | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request with exactly these headers (the proxy's X-Forwarded-Proto when none are given)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=PROXY_HEADERS if headers is None else headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def set_cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    cookies = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _eq, value = line.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))


def login(port: int, email: str, password: str) -> str:
    """Log the demo resident in through the login form, as a browser would; returns the Cookie header."""
    status, headers, body = request(port, "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None:
        raise ThroughputError(f"login page answered {status} without a CSRF token")
    cookies = set_cookies(headers)
    status, headers, _body = request(
        port,
        "/accounts/login/",
        method="POST",
        headers={
            **PROXY_HEADERS,
            "Cookie": cookie_header(cookies),
            "Referer": f"https://127.0.0.1:{port}/accounts/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}),
    )
    cookies.update(set_cookies(headers))
    if status != 302 or "sessionid" not in cookies:
        raise ThroughputError(f"logging in {email} answered {status} without a session")
    cookie = cookie_header(cookies)
    status, _headers, _body = request(port, "/accounts/profile/", headers={**PROXY_HEADERS, "Cookie": cookie})
    if status != 200:
        raise ThroughputError(f"{email}'s profile answered {status} after logging in")
    return cookie


# --- the servers ------------------------------------------------------------------------------------
class Server:
    """One gunicorn (2 sync workers) in its own process group, so that stopping it stops its workers."""

    def __init__(self, name: str, port: int, env: dict[str, str]) -> None:
        self.name = name
        self.port = port
        self.env = env
        self.log_path = WORK / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        metrics = WORK / f"{self.name}-prometheus"
        metrics.mkdir(parents=True, exist_ok=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn if gunicorn.exists() else shutil.which("gunicorn") or "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "portal.wsgi:application",
        ]
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        }
        with self.log_path.open("w") as log:
            # stdout is the access log, one line per request: discarded (its cost is still paid).
            self.process = subprocess.Popen(  # noqa: S603 - gunicorn with arguments built here
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
            )

    def wait_ready(self, timeout: float = 120) -> None:
        """Poll /healthz until it answers 200 (a 503 means the database or cache is down)."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise ThroughputError(f"gunicorn ({self.name}) exited:\n{self.log_tail()}")
            with suppress(OSError):
                status, _headers, body = request(self.port, "/healthz")
                if status == 200:
                    return
                last = f"{status} {body[:300]!r}"
            time.sleep(0.2)
        raise ThroughputError(
            f"gunicorn ({self.name}) not ready after {timeout:.0f} s: {last}\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        with suppress(OSError):
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def cpu_seconds(self) -> float:
        assert self.process is not None
        return workers_cpu_seconds(self.process.pid)
