"""The task outbox: work that must follow a commit is recorded in the same transaction and relayed, so a
broker outage delays it but neither loses it nor answers 500 for saved work."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from celery.app.task import Task
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal import outbox
from portal.celery import app
from portal.models import QueuedTask
from portal.tasks import relay_task_outbox
from programs.models import Application, ApplicationStatus, SelectionMethod
from programs.services import application_submit, applications_requeue_unjudged
from programs.tasks import process_application
from tests.factories import HouseholdFactory, ProgramFactory

pytestmark = pytest.mark.django_db
Status = QueuedTask.Status
URL = "/api/v1/applications/"


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, list]]:
    """A broker that is up and takes every message (recorded here; no worker runs them)."""
    calls: list[tuple[str, list]] = []

    def publish(self, args=None, kwargs=None, **options):
        calls.append((self.name, list(args or [])))

    app.conf.task_always_eager = False  # the autouse fixture restores it
    monkeypatch.setattr(Task, "apply_async", publish)
    return calls


@pytest.fixture
def broker_down(monkeypatch) -> list[str]:
    """A broker that refuses connections, as kombu reports it. Returns the tasks it was asked to take."""
    refused: list[str] = []

    def publish(self, args=None, kwargs=None, **options):
        refused.append(self.name)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    app.conf.task_always_eager = False
    monkeypatch.setattr(Task, "apply_async", publish)
    return refused


def age(seconds: int = 60) -> None:
    """Make every outbox row old enough for the relay (it leaves the newest to their own commit hook)."""
    QueuedTask.objects.update(created_at=timezone.now() - timedelta(seconds=seconds))


def review_program():
    return ProgramFactory(selection_method=SelectionMethod.REVIEW)


# --- recorded in the caller's transaction -------------------------------------------------------------


def test_a_rolled_back_change_records_and_publishes_nothing(published, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(process_application, 1)
        raise RuntimeError("the change failed")

    assert QueuedTask.objects.count() == 0
    assert callbacks == []
    assert published == []


def test_a_committed_change_is_published_at_commit(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(process_application, 12345)
        assert published == []  # nothing leaves before the commit

    row.refresh_from_db()
    assert published == [("programs.tasks.process_application", [12345])]
    assert row.status == Status.DISPATCHED
    assert row.attempts == 1
    assert row.dispatched_at is not None


def test_without_a_broker_the_task_runs_in_process_at_commit(django_capture_on_commit_callbacks):
    household = HouseholdFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(user=household.user, program=review_program(), answers={})

    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert QueuedTask.objects.get().status == Status.DISPATCHED


def test_a_failing_task_in_process_is_logged_not_raised(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(application_id: int) -> str:
        raise RuntimeError("evaluation crashed")

    monkeypatch.setattr(process_application, "run", broken)
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(process_application, 7)

    row.refresh_from_db()
    assert row.status == Status.DISPATCHED
    assert "evaluation crashed" in row.last_error
    assert "failed in-process" in caplog.text


def test_a_pending_key_is_not_queued_twice(broker_down):
    first = outbox.enqueue(process_application, 5, dedupe_key="evaluate:5")
    again = outbox.enqueue(process_application, 5, dedupe_key="evaluate:5")
    other = outbox.enqueue(process_application, 6, dedupe_key="evaluate:6")

    assert again.pk == first.pk
    assert other.pk != first.pk
    assert QueuedTask.objects.count() == 2


def test_arguments_must_be_json(broker_down):
    with pytest.raises(TypeError):
        outbox.enqueue(process_application, object())


# --- the broker is down --------------------------------------------------------------------------------


def test_broker_down_the_api_answers_201_and_the_relay_publishes_later(
    resident_client, resident, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    program = review_program()
    with django_capture_on_commit_callbacks(execute=True):
        response = resident_client.post(
            URL, json.dumps({"program": program.pk}), content_type="application/json"
        )

    assert response.status_code == 201, response.content
    application = Application.objects.get(household__user=resident)
    assert application.status == ApplicationStatus.SUBMITTED  # saved, not yet judged
    row = QueuedTask.objects.get()
    assert (row.name, row.args, row.status, row.attempts) == (
        "programs.tasks.process_application",
        [application.pk],
        Status.PENDING,
        1,
    )
    assert "Connection refused" in row.last_error
    assert "programs.tasks.process_application" in broker_down

    # Still down: the relay tries, fails, and keeps the row.
    age()
    assert outbox.relay() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 2)

    # The broker is back: the relay publishes it and the worker judges the application.
    published: list[str] = []

    def publish(self, args=None, kwargs=None, **options):
        published.append(self.name)
        return self.apply(args=args, kwargs=kwargs)

    monkeypatch.setattr(Task, "apply_async", publish)
    with django_capture_on_commit_callbacks(execute=True):
        assert relay_task_outbox() == 1
    assert outbox.relay() == 0  # nothing twice

    row.refresh_from_db()
    assert row.status == Status.DISPATCHED
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.eligibility_checked_at is not None
    assert published.count("programs.tasks.process_application") == 1


def test_the_relay_stops_at_the_first_broker_failure(broker_down):
    for pk in range(5):
        outbox.enqueue(process_application, pk)
    age()

    assert outbox.relay() == 0

    assert len(broker_down) == 1  # not five waits on a dead broker
    assert sorted(QueuedTask.objects.values_list("attempts", flat=True)) == [0, 0, 0, 0, 1]


def test_the_relay_publishes_oldest_first_within_its_limit(published):
    rows = [outbox.enqueue(process_application, pk) for pk in (101, 102, 103)]
    for offset, row in enumerate(rows):
        QueuedTask.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(minutes=10 - offset)
        )

    assert outbox.relay(limit=2) == 2
    assert [args for _name, args in published] == [[101], [102]]
    assert outbox.relay() == 1
    assert [args for _name, args in published] == [[101], [102], [103]]


def test_the_relay_leaves_a_row_just_committed_to_its_own_hook(published):
    outbox.enqueue(process_application, 1)

    assert outbox.relay() == 0
    assert published == []


def test_an_unknown_task_fails_and_is_counted(published):
    outbox.enqueue("no.such.task", 1)
    outbox.enqueue(process_application, 2)
    age()

    assert outbox.relay() == 1

    assert QueuedTask.objects.get(name="no.such.task").status == Status.FAILED
    assert outbox.backlog()["failed"] == 1


def test_backlog_counts_pending_and_the_oldest_age(broker_down):
    assert outbox.backlog() == {"pending": 0, "failed": 0, "oldest_pending_seconds": 0.0}
    outbox.enqueue(process_application, 1)
    age(120)

    backlog = outbox.backlog()
    assert backlog["pending"] == 1
    assert backlog["oldest_pending_seconds"] >= 120


def test_published_rows_are_forgotten_after_a_week(published):
    old = outbox.enqueue(process_application, 1)
    QueuedTask.objects.filter(pk=old.pk).update(
        status=Status.DISPATCHED, dispatched_at=timezone.now() - timedelta(days=8)
    )
    recent = outbox.enqueue(process_application, 2)
    QueuedTask.objects.filter(pk=recent.pk).update(status=Status.DISPATCHED, dispatched_at=timezone.now())

    outbox.relay()

    assert list(QueuedTask.objects.values_list("pk", flat=True)) == [recent.pk]


# --- applications never judged: the sweep --------------------------------------------------------------


def submitted_unjudged(minutes_ago: int = 10) -> Application:
    """An application saved as submitted whose evaluation never ran (its task failed or was lost)."""
    household = HouseholdFactory()
    application = application_submit(user=household.user, program=review_program(), answers={})
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    QueuedTask.objects.all().delete()  # as if its outbox row had long been published
    return application


def test_the_sweep_requeues_applications_never_judged(django_capture_on_commit_callbacks):
    lost = submitted_unjudged(minutes_ago=10)
    recent = submitted_unjudged(minutes_ago=1)  # its evaluation may still be on its way

    with django_capture_on_commit_callbacks(execute=True):
        assert applications_requeue_unjudged() == 1

    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == ApplicationStatus.UNDER_REVIEW
    assert recent.status == ApplicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        assert applications_requeue_unjudged() == 0  # nothing left to judge


def test_the_sweep_leaves_judged_lottery_entries_alone(django_capture_on_commit_callbacks):
    household = HouseholdFactory()
    program = ProgramFactory(selection_method=SelectionMethod.LOTTERY)
    with django_capture_on_commit_callbacks(execute=True):
        entry = application_submit(user=household.user, program=program, answers={})
    Application.objects.filter(pk=entry.pk).update(submitted_at=timezone.now() - timedelta(hours=1))
    entry.refresh_from_db()
    assert entry.status == ApplicationStatus.SUBMITTED  # waits for the draw…
    assert entry.eligibility_checked_at is not None  # …judged already

    assert applications_requeue_unjudged() == 0


def test_the_sweep_while_the_broker_is_down_adds_one_row_per_application(broker_down):
    lost = submitted_unjudged()

    applications_requeue_unjudged()
    applications_requeue_unjudged()

    assert list(QueuedTask.objects.values_list("args", flat=True)) == [[lost.pk]]
