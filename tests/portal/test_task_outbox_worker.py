"""Through a real worker and Redis: an application submitted while the broker refused the task is judged
once the relay publishes it (CI's PostgreSQL + Redis run; see test_celery_worker.py)."""

from __future__ import annotations

import pytest
from celery.app.task import Task
from kombu.exceptions import OperationalError

from portal import outbox
from portal.models import QueuedTask
from programs.models import Application, ApplicationStatus, SelectionMethod
from programs.services import application_submit
from tests.factories import HouseholdFactory, ProgramFactory
from tests.portal.test_celery_worker import queue, wait_for, worker  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_relay_publishes_what_a_dead_broker_refused(worker, monkeypatch):  # noqa: F811
    household = HouseholdFactory(notify_by_email=False, notify_by_sms=False)
    program = ProgramFactory(selection_method=SelectionMethod.REVIEW)

    def refused(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as broker_down:
        broker_down.setattr(Task, "apply_async", refused)
        application = application_submit(user=household.user, program=program, answers={})  # commits

    row = QueuedTask.objects.get(args=[application.pk])
    assert row.status == QueuedTask.Status.PENDING
    QueuedTask.objects.filter(pk=row.pk).update(created_at=row.created_at - outbox.RELAY_MIN_AGE)

    assert outbox.relay() == 1  # the broker is back: published to the worker's queue

    def judged() -> bool:
        return Application.objects.filter(pk=application.pk, status=ApplicationStatus.UNDER_REVIEW).exists()

    wait_for(judged, "the relayed evaluation", worker)
    row.refresh_from_db()
    assert row.status == QueuedTask.Status.DISPATCHED
