"""Through a real Celery worker and Redis: a task queued under a request id logs, in the worker, JSON
lines carrying that request id and the task's name and id; and its heartbeat reaches the shared cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from portal import heartbeat
from portal.celery import app
from portal.observability.requestid import request_id_var

pytestmark = pytest.mark.redis

CELERY = Path(sys.executable).with_name("celery")
WAIT_SECONDS = 30


@pytest.fixture
def worker(tmp_path):
    """A worker on a queue of this test's own (heartbeat needs no database: a throwaway SQLite)."""
    queue = f"hana-test-{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }
    output = tempfile.NamedTemporaryFile(prefix="hana-worker-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - a fixed command line of our own
        [
            str(CELERY),
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue, lambda: Path(output.name).read_text(encoding="utf-8", errors="replace")
    finally:
        app.conf.task_always_eager = previous
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        output.close()
        Path(output.name).unlink(missing_ok=True)
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        client.delete(queue, f"_kombu.binding.{queue}")
        client.close()


def test_the_request_id_follows_the_task_into_the_workers_log(worker):
    queue, log = worker
    request_id = f"req-{uuid.uuid4().hex[:8]}"
    cache.delete(heartbeat.CACHE_KEY)

    token = request_id_var.set(request_id)
    # An explicit connection: other tests point the app's configured broker elsewhere (healthz's).
    try:
        with app.connection_for_write(os.environ["REDIS_URL"]) as connection:
            result = heartbeat.beat.apply_async(queue=queue, connection=connection)
    finally:
        request_id_var.reset(token)

    def task_lines() -> list[dict]:
        lines = [json.loads(line) for line in log().splitlines() if line.startswith("{")]
        return [line for line in lines if line.get("task_id") == result.id]

    deadline = time.monotonic() + WAIT_SECONDS
    while not any("succeeded" in line["message"] for line in task_lines()):
        if time.monotonic() > deadline:
            pytest.fail(f"no success line for the task; worker output:\n{log()[-4000:]}")
        time.sleep(0.2)

    lines = task_lines()
    assert {line["request_id"] for line in lines} == {request_id}
    assert {line["task_name"] for line in lines} == {"portal.heartbeat.beat"}
    assert heartbeat.age_seconds() is not None  # the worker's heartbeat is in the shared cache
