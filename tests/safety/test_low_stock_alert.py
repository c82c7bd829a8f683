"""A reservation that leaves an item at or under its threshold alerts the district's staff, once a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import Notification
from safety.models import KitStock
from safety.services import kit_request_approve, kit_request_submit, stock_low_alert
from tests.factories import GWANAK, HouseholdFactory, district
from tests.safety.conftest import stock, windows

pytestmark = pytest.mark.django_db


def approve_one(committed, items, actor):
    kit_request = kit_request_submit(user=HouseholdFactory().user, item_ids=[items[0].pk], windows=windows())
    committed(kit_request_approve, kit_request=kit_request, actor=actor)


def test_alert_goes_to_district_staff_once_a_day(
    committed, caseworker_a, manager_a, caseworker_b, offer_a, items
):
    stock(GWANAK, items[0], 4)
    KitStock.objects.filter(item=items[0]).update(low_stock_threshold=2)

    approve_one(committed, items, caseworker_a)  # 3 left: above the threshold
    assert not Notification.objects.filter(template="safety.stock.low").exists()

    approve_one(committed, items, caseworker_a)  # 2 left: alert
    approve_one(committed, items, caseworker_a)  # 1 left: same day, no second alert

    alerts = Notification.objects.filter(template="safety.stock.low")
    assert sorted(alerts.values_list("user_id", flat=True)) == sorted([caseworker_a.pk, manager_a.pk])
    assert alerts.first().context["available"] == 2
    assert not alerts.filter(user=caseworker_b).exists()  # another district's caseworker


def test_a_new_day_alerts_again(caseworker_a, offer_a, items):
    stock(GWANAK, items[0], 1)
    gwanak = district(GWANAK)
    today = timezone.localdate()

    assert stock_low_alert(district_id=gwanak.pk, item_id=items[0].pk, on=today) == 1
    assert stock_low_alert(district_id=gwanak.pk, item_id=items[0].pk, on=today) == 0
    assert stock_low_alert(district_id=gwanak.pk, item_id=items[0].pk, on=today + timedelta(days=1)) == 1


def test_no_alert_once_restocked(caseworker_a, offer_a, items):
    stock(GWANAK, items[0], 50)
    assert stock_low_alert(district_id=district(GWANAK).pk, item_id=items[0].pk) == 0
