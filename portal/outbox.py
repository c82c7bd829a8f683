"""The task outbox: work that must follow a commit is recorded in the same transaction, then relayed.

    enqueue(process_application, application.pk)

writes a QueuedTask row in the caller's transaction and, once it commits, publishes the task at once.
If the broker is unreachable the publish fails fast (the Celery settings bound it to well under a
second on a refused connection), the failure is logged, the request answers normally and the row stays
pending: `relay()`, run by beat every 30 s, publishes what is still pending, oldest first. A rolled-back
change leaves no row and publishes nothing.

With no broker (the embedded default, and the test suite) the task runs in-process at commit, as
`.delay()` did; an exception in it is logged and recorded on the row, never raised into the request
that saved the work.

Publishing is at-least-once: a process that dies between publishing and marking the row publishes it
again later. Every task queued here is idempotent (each says why).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Task, current_app
from celery.exceptions import NotRegistered
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from .models import QueuedTask

logger = logging.getLogger(__name__)
Status = QueuedTask.Status

# Rows younger than this are left to their own on_commit publish, so the relay and the hook rarely meet
# (when they do, the row lock and the status check still publish the row once).
RELAY_MIN_AGE = timedelta(seconds=10)
RELAY_CHUNK = 50  # rows published per transaction: row locks held briefly, progress saved often
KEEP_DISPATCHED = timedelta(days=7)  # published rows are kept this long to look into, then deleted


def enqueue(task: Task | str, *args: Any, dedupe_key: str = "", **kwargs: Any) -> QueuedTask:
    """Record `task(*args, **kwargs)` in the current transaction; publish it once that commits.

    Arguments must be JSON values (ids, not model instances). With `dedupe_key`, a row already pending
    under that key is returned instead of adding a second one.
    """
    name = task if isinstance(task, str) else task.name
    fields = {"name": name, "args": list(args), "kwargs": kwargs, "dedupe_key": dedupe_key}
    if not dedupe_key:
        row = QueuedTask.objects.create(**fields)  # nothing to collide with: no savepoint needed
    else:
        try:
            # A savepoint: a duplicate key must not break the caller's transaction.
            with transaction.atomic():
                row = QueuedTask.objects.create(**fields)
        except IntegrityError:
            existing = QueuedTask.objects.filter(dedupe_key=dedupe_key, status=Status.PENDING).first()
            if existing is not None:
                return existing
            raise
    transaction.on_commit(lambda: publish(row.pk, row=row))
    return row


def publish(row_id: int, *, row: QueuedTask | None = None) -> bool:
    """Publish one pending row now (the on_commit hook). Never raises: a failure leaves it pending.

    With `row` (the instance enqueue() just saved) it publishes without reading or locking the row and
    then marks it with one conditional UPDATE: this runs in the request that saved the work, and the
    relay leaves rows younger than RELAY_MIN_AGE alone. Should the two ever meet, the task is published
    twice, which every task queued here tolerates (at-least-once, above)."""
    try:
        if current_app.conf.task_always_eager:
            return _run_in_process(row_id)
        if row is not None:
            return bool(_publish_row(row))
        with transaction.atomic():
            locked = _lock_pending(QueuedTask.objects.filter(pk=row_id)).first()
            return locked is not None and bool(_publish_row(locked))
    except Exception:
        # The change is saved; the relay will try again. A 500 here would report a saved change as failed.
        logger.exception("task outbox row %s not published; the relay will retry it", row_id)
        return False


def relay(*, limit: int | None = None) -> int:
    """Publish pending rows, oldest first (beat, every 30 s). Stops at the first broker failure, which
    would only repeat for every row. Returns how many were published."""
    limit = limit if limit is not None else settings.TASK_OUTBOX_RELAY_BATCH
    cutoff = timezone.now() - RELAY_MIN_AGE
    published = 0
    while published < limit:
        with transaction.atomic():
            pending = QueuedTask.objects.filter(status=Status.PENDING, created_at__lt=cutoff).order_by(
                "created_at", "id"
            )
            rows = list(_lock_pending(pending)[: min(RELAY_CHUNK, limit - published)])
            if not rows:
                break
            for row in rows:
                outcome = _publish_row(row)
                if outcome is False:
                    return published
                published += bool(outcome)
    _forget_dispatched()
    return published


def backlog() -> dict[str, Any]:
    """What the task outbox holds: rows waiting to be published, rows that never could be, and the age
    in seconds of the oldest waiting one (for /metrics and /healthz; a growing age means no relay)."""
    counts = dict(
        QueuedTask.objects.filter(status__in=[Status.PENDING, Status.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    oldest = QueuedTask.objects.filter(status=Status.PENDING).aggregate(at=Min("created_at"))["at"]
    return {
        "pending": counts.get(Status.PENDING, 0),
        "failed": counts.get(Status.FAILED, 0),
        "oldest_pending_seconds": (timezone.now() - oldest).total_seconds() if oldest else 0.0,
    }


def _lock_pending(rows):
    # skip_locked: two relays (two beats by mistake, or a relay and an on_commit hook) never wait for
    # each other and never publish the same row; the other one's rows are simply passed over. SQLite
    # has no row locks (Django ignores select_for_update there) and serializes writers instead.
    return rows.select_for_update(skip_locked=True).filter(status=Status.PENDING)


def _publish_row(row: QueuedTask) -> bool | None:
    """Publish a pending row and record the outcome with conditional UPDATEs (pending rows only). The
    relay calls it on rows it holds locked; the on_commit hook on the row it has just committed. True:
    published; False: the broker refused (the relay stops); None: the row itself cannot be published
    (an unknown task: marked failed)."""
    pending = QueuedTask.objects.filter(pk=row.pk, status=Status.PENDING)
    task = _task(row.name)
    if task is None:
        pending.update(
            status=Status.FAILED, attempts=F("attempts") + 1, last_error=f"unknown task {row.name!r}"
        )
        logger.error("task outbox row %s names an unknown task %r", row.pk, row.name)
        return None  # nothing to do with the broker: go on with the next row
    try:
        # The publish retry policy and connection timeouts come from the Celery settings: short, so a
        # dead broker costs a request well under a second rather than hanging it.
        task.apply_async(args=row.args, kwargs=row.kwargs)
    except Exception as exc:  # noqa: BLE001 - kombu/redis/socket errors alike: the row waits for the relay
        pending.update(attempts=F("attempts") + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:2000])
        logger.warning("task outbox row %s (%s) not published: %s", row.pk, row.name, exc)
        return False
    pending.update(status=Status.DISPATCHED, dispatched_at=timezone.now(), attempts=F("attempts") + 1)
    return True


def _run_in_process(row_id: int) -> bool:
    """No broker: claim the row and run the task here, as `.delay()` does eagerly. An exception in the
    task is logged and kept on the row, not raised into the request that committed the work."""
    now = timezone.now()
    claimed = QueuedTask.objects.filter(pk=row_id, status=Status.PENDING).update(
        status=Status.DISPATCHED, dispatched_at=now, attempts=1
    )
    if not claimed:
        return False
    row = QueuedTask.objects.get(pk=row_id)
    task = _task(row.name)
    if task is None:
        QueuedTask.objects.filter(pk=row_id).update(
            status=Status.FAILED, last_error=f"unknown task {row.name!r}"
        )
        logger.error("task outbox row %s names an unknown task %r", row_id, row.name)
        return False
    result = task.apply(args=row.args, kwargs=row.kwargs, throw=False)
    if result.failed():
        logger.error("task %s of outbox row %s failed in-process: %r", row.name, row_id, result.result)
        QueuedTask.objects.filter(pk=row_id).update(
            last_error=f"{type(result.result).__name__}: {result.result}"[:2000]
        )
    return True


def _task(name: str) -> Task | None:
    try:
        return current_app.tasks[name]
    except NotRegistered:
        # A process that has not imported every app's tasks module yet (a web node) finds it after
        # Celery's autodiscovery has run.
        current_app.loader.import_default_modules()
        return current_app.tasks.get(name)


def _forget_dispatched() -> None:
    """Published rows are only history: delete those past KEEP_DISPATCHED, a bounded batch per run."""
    cutoff = timezone.now() - KEEP_DISPATCHED
    old = QueuedTask.objects.filter(status=Status.DISPATCHED, dispatched_at__lt=cutoff)
    QueuedTask.objects.filter(pk__in=list(old.values_list("pk", flat=True)[:1000])).delete()
