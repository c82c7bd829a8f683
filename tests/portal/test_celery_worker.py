"""End to end through a real Celery worker process and Redis: a decision's email leaves the outbox.

Runs when REDIS_URL is set and the database is PostgreSQL (as in CI's second run): the worker is a
separate process, so it must reach the same test database, which SQLite's in-memory one is not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from portal.celery import app
from portal.models import Notification
from programs.models import Application, ApplicationStatus, SelectionMethod
from programs.services import application_decide, application_submit
from tests.factories import HouseholdFactory, ProgramFactory

# serialized_rollback: the transactional test flushes the tables, and with them the reference data
# (districts, median income) that migrations load; it is restored for the tests that follow.
pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CELERY = Path(sys.executable).with_name("celery")
WAIT_SECONDS = 30
POLL_SECONDS = 0.2


def database_url() -> str:
    """The URL of the database this test runs against (the test database, not the configured one)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own, so the worker takes no one else's tasks and leaves none behind."""
    name = f"hana-test-{uuid.uuid4().hex[:12]}"
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = name
    yield name
    app.conf.task_always_eager, app.conf.task_default_queue = previous
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete(name, f"_kombu.binding.{name}")
    client.close()


@pytest.fixture
def worker(queue) -> Iterator[Callable[[], str]]:
    """A `celery worker` subprocess consuming `queue`; yields a function returning its output so far."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # what the worker itself queues goes to the same queue
        "EMAIL_URL": "consolemail://",
        "SMS_BACKEND": "console",
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
            "--concurrency=1",
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
        stderr=subprocess.STDOUT,  # a worker logs what tasks print (the console email) to stderr
    )

    def read() -> str:
        return Path(output.name).read_text(encoding="utf-8", errors="replace")

    try:
        yield read
    finally:
        # The worker holds connections to the test database, which must be dropped at the end of the run.
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        output.close()
        if process.returncode not in (0, -15, 143):
            print(read())  # shown by pytest with the failure
        Path(output.name).unlink(missing_ok=True)


def wait_for(condition: Callable[[], bool], what: str, log: Callable[[], str]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(POLL_SECONDS)
    pytest.fail(f"timed out after {WAIT_SECONDS} s waiting for {what}; worker output:\n{log()[-4000:]}")


def test_a_worker_delivers_the_decision_email(worker, caseworker_a):
    household = HouseholdFactory(notify_by_email=True, notify_by_sms=False, user__language="en")
    program = ProgramFactory(selection_method=SelectionMethod.REVIEW, title_en="Youth social dining")

    application = application_submit(user=household.user, program=program, answers={})

    # The worker runs the eligibility task, which puts a review-method application in the queue.
    def under_review() -> bool:
        return Application.objects.filter(pk=application.pk, status=ApplicationStatus.UNDER_REVIEW).exists()

    wait_for(under_review, "the evaluation task", worker)
    application_decide(application=application, action="approve", actor=caseworker_a)

    email = Notification.objects.get(
        user=household.user, template="application.approved", channel=Notification.Channel.EMAIL
    )

    def sent() -> bool:
        email.refresh_from_db()
        return email.status == Notification.Status.SENT

    wait_for(sent, "the approval email", worker)
    assert email.attempts == 1
    assert email.last_error == ""
    output = worker()
    assert "is approved" in output  # the subject, in the resident's language (English)
    assert application.reference in output
    # Every notification of the application went out once, through the worker.
    rows = Notification.objects.filter(user=household.user, channel=Notification.Channel.EMAIL)
    assert sorted(rows.values_list("template", "status")) == [
        ("application.approved", "sent"),
        ("application.submitted", "sent"),
        ("application.under_review", "sent"),
    ]
