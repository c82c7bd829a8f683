"""Celery tasks of the safety app: each takes ids, reloads and calls a service."""

from __future__ import annotations

from celery import shared_task

from .services import stock_low_alert


# Queued through the task outbox with the approval (safety.services.stock.queue_low_stock). A killed
# worker's alert goes straight back to the queue (reject_on_worker_lost): a rerun tells nobody twice.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def alert_low_stock(district_id: int, item_id: int) -> int:
    # Idempotent: the notification's event key names the district, the item and the day.
    return stock_low_alert(district_id=district_id, item_id=item_id)
