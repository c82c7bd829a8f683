"""Every state change of a kit request notifies the resident through the outbox, exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import time, timedelta

import pytest
from django.utils import timezone

from portal.models import Notification
from safety.services import (
    kit_request_approve,
    kit_request_cancel,
    kit_request_reject,
    kit_request_submit,
    visit_complete,
    visit_schedule,
)
from tests.factories import HouseholdFactory
from tests.safety.conftest import windows

pytestmark = pytest.mark.django_db


def in_app(user) -> Counter:
    return Counter(
        Notification.objects.filter(user=user, channel="in_app").values_list("template", flat=True)
    )


def test_each_step_notifies_once_per_channel(committed, caseworker_a, stocked_a, items):
    user = HouseholdFactory(notify_by_sms=True).user
    kit_request = committed(kit_request_submit, user=user, item_ids=[items[0].pk], windows=windows())
    committed(kit_request_approve, kit_request=kit_request, actor=caseworker_a)
    visit = committed(
        visit_schedule,
        kit_request=kit_request,
        actor=caseworker_a,
        date=timezone.localdate() + timedelta(days=1),
        window_start=time(9),
        window_end=time(11),
        installer="김기사",
    )
    committed(visit_complete, visit=visit, actor=caseworker_a, installed=False, failure_reason="부재중")
    second = committed(
        visit_schedule,
        kit_request=kit_request,
        actor=caseworker_a,
        date=timezone.localdate() + timedelta(days=2),
        window_start=time(9),
        window_end=time(11),
        installer="김기사",
    )
    committed(visit_complete, visit=second, actor=caseworker_a, installed=True)

    assert in_app(user) == Counter(
        {
            "safety.kit_request.submitted": 1,
            "safety.kit_request.approved": 1,
            "safety.visit.scheduled": 2,  # two visits: two events
            "safety.visit.failed": 1,
            "safety.kit_request.installed": 1,
        }
    )
    sms = Notification.objects.filter(user=user, channel="sms")
    assert sms.count() == 6
    assert set(sms.values_list("status", flat=True)) == {"sent"}  # delivered by the (eager) task
    scheduled = Notification.objects.filter(
        user=user, template="safety.visit.scheduled", channel="in_app"
    ).first()
    assert scheduled.context["installer"] == "김기사"
    assert scheduled.context["window"] == "09:00–11:00"


def test_refused_change_notifies_nothing(caseworker_a, stocked_a, items, resident):
    kit_request = kit_request_submit(user=resident, item_ids=[items[0].pk], windows=windows())
    kit_request_reject(kit_request=kit_request, actor=caseworker_a, reason="대상 아님")
    before = Notification.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is what was not sent
        kit_request_cancel(user=resident, kit_request=kit_request)
    assert Notification.objects.count() == before
    assert in_app(resident)["safety.kit_request.rejected"] == 1
