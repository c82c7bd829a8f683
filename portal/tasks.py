"""Celery tasks of the core. Tasks take ids, reload rows and call a service; nothing else.

Acknowledgement (audited with every app's tasks in the settings' Celery section): deliver_notification
is late-acknowledged and rejected back to the queue when its worker is lost, because its claim (a
conditional UPDATE) makes a second run a no-op; the periodic jobs below are acknowledged early, since
beat runs them again within minutes anyway.
"""

from __future__ import annotations

from celery import shared_task

from . import outbox
from .notifications import (
    Delivery,
    notification_deliver,
    notifications_reap_stuck,
    notifications_requeue_stale,
)

MAX_ATTEMPTS = 6


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, acks_late=True, reject_on_worker_lost=True)
def deliver_notification(self, notification_id: int) -> str:
    result = notification_deliver(notification_id=notification_id)
    if result != Delivery.FAILED or self.request.retries >= self.max_retries:
        return str(result)
    if self.request.is_eager or self.request.called_directly:
        # In-process (the embedded default, `.apply()`, a direct call) Celery's retry does not re-run
        # the task: with task_eager_propagates it raises `Retry` out of `.delay()` instead. With no
        # broker to hold a delayed message, retry here at once; each attempt is counted and its error
        # recorded on the row.
        for _attempt in range(self.max_retries - self.request.retries):
            result = notification_deliver(notification_id=notification_id)
            if result != Delivery.FAILED:
                break
        return str(result)
    # 30 s, 1 min, 2 min, 4 min, 8 min: a gateway outage is usually short.
    raise self.retry(countdown=30 * 2**self.request.retries)


@shared_task
def requeue_stale_notifications() -> int:
    return notifications_requeue_stale()


@shared_task
def reap_stuck_notifications() -> dict[str, int]:
    return notifications_reap_stuck()


@shared_task
def relay_task_outbox() -> int:
    return outbox.relay()


@shared_task(name="portal.tasks.run_retention")
def run_retention() -> dict[str, int]:
    """The nightly retention job (beat). Idempotent: a rerun finds nothing left to prune."""
    from .retention import retention_run

    return retention_run()
