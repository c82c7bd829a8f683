"""A staff approval that takes stock to the low-stock line is saved whatever the broker does; its alert
is recorded in the approval's transaction (the task outbox) and relayed once the broker is back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.app.task import Task
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal import outbox
from portal.celery import app
from portal.models import Notification, QueuedTask
from safety.models import KitRequestStatus, KitStock
from safety.services import kit_request_approve, kit_request_submit
from tests.factories import GWANAK, HouseholdFactory
from tests.safety.conftest import stock, windows

pytestmark = pytest.mark.django_db


def test_broker_down_the_approval_is_saved_and_its_alert_relayed(
    caseworker_a, offer_a, items, monkeypatch, django_capture_on_commit_callbacks
):
    def refused(self, args=None, kwargs=None, **options):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    app.conf.task_always_eager = False  # a broker is configured… (the autouse fixture restores it)
    monkeypatch.setattr(Task, "apply_async", refused)  # …and down
    stock(GWANAK, items[0], 2)
    KitStock.objects.filter(item=items[0]).update(low_stock_threshold=2)
    kit_request = kit_request_submit(user=HouseholdFactory().user, item_ids=[items[0].pk], windows=windows())

    with django_capture_on_commit_callbacks(execute=True):
        kit_request_approve(kit_request=kit_request, actor=caseworker_a)  # no exception

    kit_request.refresh_from_db()
    assert kit_request.status == KitRequestStatus.APPROVED
    row = QueuedTask.objects.get(name="safety.tasks.alert_low_stock")
    assert row.status == QueuedTask.Status.PENDING
    assert not Notification.objects.filter(template="safety.stock.low").exists()

    # The broker is back; a worker runs what the relay publishes.
    monkeypatch.setattr(
        Task, "apply_async", lambda self, args=None, kwargs=None, **o: self.apply(args, kwargs)
    )
    QueuedTask.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay() == 1

    row.refresh_from_db()
    assert row.status == QueuedTask.Status.DISPATCHED
    assert Notification.objects.filter(template="safety.stock.low", user=caseworker_a).exists()
