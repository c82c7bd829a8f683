"""gunicorn.conf.py: settings from the environment, and a real gunicorn whose access log is Django's
JSON line with the request id and the client from TRUSTED_PROXY_COUNT."""

from __future__ import annotations

import json
import os
import runpy
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

CONF = Path(settings.BASE_DIR) / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")
WAIT_SECONDS = 30


def load(monkeypatch, **env) -> dict:
    for name in ("PORT", "GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_settings_come_from_the_environment(monkeypatch):
    conf = load(
        monkeypatch, PORT="9100", WEB_CONCURRENCY="3", GUNICORN_THREADS="2", GUNICORN_MAX_REQUESTS="500"
    )

    assert conf["bind"] == "0.0.0.0:9100"
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (3, 2, "gthread")
    assert conf["max_requests"] == 500
    assert conf["max_requests_jitter"] > 0
    assert conf["timeout"] > 0 and conf["graceful_timeout"] > 0 and conf["keepalive"] > 0
    assert conf["accesslog"] is None  # Django writes the access log


def test_defaults_are_bounded_and_bind_wins_over_port(monkeypatch):
    conf = load(monkeypatch, PORT="9100", GUNICORN_BIND="127.0.0.1:9200")

    assert conf["bind"] == "127.0.0.1:9200"
    assert 3 <= conf["workers"] <= 12


def test_a_bad_number_fails_loudly(monkeypatch):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        load(monkeypatch, WEB_CONCURRENCY="many")


def test_start_empties_the_metrics_directory_and_dead_workers_are_marked(monkeypatch, tmp_path):
    (tmp_path / "counter_123.db").write_bytes(b"old")
    (tmp_path / "gauge_livesum_456.db").write_bytes(b"old")
    conf = load(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))

    conf["on_starting"](None)
    assert not list(tmp_path.glob("*.db"))

    (tmp_path / "gauge_livesum_456.db").write_bytes(b"")
    conf["child_exit"](None, type("Worker", (), {"pid": 456})())
    assert not (tmp_path / "gauge_livesum_456.db").exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_real_gunicorn_logs_access_as_json_with_the_request_id_and_the_client(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOG_FORMAT": "json",
        "TRUSTED_PROXY_COUNT": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    output = tempfile.NamedTemporaryFile(prefix="hana-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - a fixed command line of our own
        [str(GUNICORN), "-c", str(CONF), "portal.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz",
            headers={"X-Request-ID": "topo-1", "X-Forwarded-For": "6.6.6.6, 198.51.100.23"},
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our own server
                    assert response.headers["X-Request-ID"] == "topo-1"
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("gunicorn did not answer:\n" + Path(output.name).read_text())
                time.sleep(0.2)

        def access_line() -> dict | None:
            for line in Path(output.name).read_text().splitlines():
                if line.startswith("{") and '"hana.access"' in line:
                    return json.loads(line)
            return None

        while (line := access_line()) is None:
            if time.monotonic() > deadline:
                pytest.fail("no access line:\n" + Path(output.name).read_text())
            time.sleep(0.2)
        assert line["request_id"] == "topo-1"
        assert line["client_ip"] == "198.51.100.23"
        assert line["view"] == "healthz"
        assert line["status"] == 200
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        output.close()
        Path(output.name).unlink(missing_ok=True)
