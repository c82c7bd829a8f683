"""Simultaneous approvals never oversell a district's stock (Postgres: real row locks, real threads)."""

from __future__ import annotations

import pytest

from safety.models import KitItem, KitOffer, KitRequest, KitRequestStatus, MovementKind, StockMovement
from safety.selectors import stock_levels
from safety.services import SafetyError, kit_request_approve, kit_request_submit, stock_receive
from tests.concurrency import run_together
from tests.factories import GWANAK, HouseholdFactory, district
from tests.safety.conftest import windows

# serialized_rollback: a transactional test flushes the tables, and with them the reference data
# (districts, median income) that migrations load; it is restored before each test.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_thirty_simultaneous_approvals_for_ten_units():
    gwanak = district(GWANAK)
    lock = KitItem.objects.create(code="door-double-lock", name="현관문 이중잠금장치", position=0)
    offer = KitOffer.objects.create(district=gwanak, max_items=3)
    offer.items.set([lock])
    stock_receive(district=gwanak, item=lock, quantity=10, actor=None)
    requests = [
        kit_request_submit(user=HouseholdFactory().user, item_ids=[lock.pk], windows=windows())
        for _ in range(30)
    ]

    results = run_together([lambda r=r: kit_request_approve(kit_request=r, actor=None) for r in requests])

    refusals = [r for r in results if isinstance(r, Exception)]
    assert len(refusals) == 20
    assert all(isinstance(r, SafetyError) and r.code == "out_of_stock" for r in refusals)
    assert all(lock.name in r.message for r in refusals)
    assert KitRequest.objects.filter(status=KitRequestStatus.APPROVED).count() == 10
    assert KitRequest.objects.filter(status=KitRequestStatus.SUBMITTED).count() == 20
    assert stock_levels(gwanak.pk)[lock.pk] == 0
    assert StockMovement.objects.filter(kind=MovementKind.RESERVATION).count() == 10


def test_two_items_approved_in_opposite_orders_do_not_deadlock():
    gwanak = district(GWANAK)
    first = KitItem.objects.create(code="a", name="A", position=0)
    second = KitItem.objects.create(code="b", name="B", position=1)
    offer = KitOffer.objects.create(district=gwanak, max_items=3)
    offer.items.set([first, second])
    for item in (first, second):
        stock_receive(district=gwanak, item=item, quantity=5, actor=None)
    requests = [
        kit_request_submit(
            user=HouseholdFactory().user,
            item_ids=[second.pk, first.pk] if index % 2 else [first.pk, second.pk],
            windows=windows(),
        )
        for index in range(8)
    ]

    results = run_together([lambda r=r: kit_request_approve(kit_request=r, actor=None) for r in requests])

    assert sum(not isinstance(r, Exception) for r in results) == 5
    assert {r.code for r in results if isinstance(r, Exception)} == {"out_of_stock"}
    assert stock_levels(gwanak.pk) == {first.pk: 0, second.pk: 0}
