"""The kit-request queue, visits and stock in the admin: scoping, access log, history, decisions, scale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from safety.models import KitRequest, KitRequestItem, KitRequestStatus, KitStock, StockMovement, VisitStatus
from safety.selectors import stock_levels
from safety.services import kit_request_approve
from tests.factories import GWANAK, JUNGGU, HouseholdFactory, district, login
from tests.safety.conftest import stock

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:safety_kitrequest_changelist")


def kit_request(code: str, items, *, name="김하나", **kwargs) -> KitRequest:
    """A submitted request written straight to the database (for lists, filters and scoping)."""
    household = HouseholdFactory(district=district(code), name=name)
    offer = district(code).kit_offer
    row = KitRequest.objects.create(
        household=household,
        district=household.district,
        offer=offer,
        submitted_at=kwargs.pop("submitted_at", timezone.now()),
        preferred_windows=[{"date": "2030-01-02", "slot": "morning"}],
        **kwargs,
    )
    row.reference = f"KS-2026-{row.pk:06d}"
    row.save(update_fields=["reference"])
    for item in items[:2]:
        KitRequestItem.objects.create(request=row, item=item)
    return row


@pytest.fixture
def both(offer_a, offer_b, items):
    return kit_request(GWANAK, items, name="김관악"), kit_request(JUNGGU, items, name="이중구")


@pytest.fixture
def caseworker_client(client, caseworker_a):
    return login(client, caseworker_a)


def change_url(row) -> str:
    return reverse("admin:safety_kitrequest_change", args=[row.pk])


def test_changelist_lists_own_district_only_with_masked_names(caseworker_client, both):
    own, other = both
    response = caseworker_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [own]
    content = response.content.decode()
    assert "김*악" in content and "김관악" not in content
    assert other.reference not in content


def test_search_never_reaches_another_district(caseworker_client, both):
    _own, other = both
    response = caseworker_client.get(CHANGELIST, {"q": other.reference})
    assert list(response.context["cl"].result_list) == []
    response = caseworker_client.get(CHANGELIST, {"q": "이중구"})
    assert list(response.context["cl"].result_list) == []


def test_other_districts_change_and_history_pages_do_not_open(caseworker_client, both):
    _own, other = both
    response = caseworker_client.get(change_url(other))
    assert response.status_code == 302
    response = caseworker_client.get(reverse("admin:safety_kitrequest_history", args=[other.pk]))
    assert response.status_code == 302
    response = caseworker_client.get(reverse("admin:safety_kitrequest_decide", args=[other.pk, "approve"]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="safety.kit_request.viewed").exists()


def test_opening_a_request_is_logged_and_shows_the_full_name(caseworker_client, caseworker_a, both):
    own, _other = both
    response = caseworker_client.get(change_url(own))
    assert response.status_code == 200
    assert "김관악" in response.content.decode()
    event = AuditEvent.objects.get(action="safety.kit_request.viewed")
    assert event.actor == caseworker_a and event.subject_user_id == own.household.user_id
    response = caseworker_client.get(reverse("admin:safety_kitrequest_history", args=[own.pk]))
    assert response.status_code == 200


def test_queue_order_is_priority_then_oldest(caseworker_client, offer_a, items):
    now = timezone.now()
    renter_old = kit_request(GWANAK, items, priority=3, submitted_at=now - timedelta(days=3))
    recipient_new = kit_request(GWANAK, items, priority=1, submitted_at=now)
    other_oldest = kit_request(GWANAK, items, priority=9, submitted_at=now - timedelta(days=9))
    renter_new = kit_request(GWANAK, items, priority=3, submitted_at=now - timedelta(days=1))
    response = caseworker_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [recipient_new, renter_old, renter_new, other_oldest]
    response = caseworker_client.get(CHANGELIST, {"waiting": "over_7d"})
    assert list(response.context["cl"].result_list) == [other_oldest]
    response = caseworker_client.get(CHANGELIST, {"item": str(items[0].pk), "priority__exact": "1"})
    assert list(response.context["cl"].result_list) == [recipient_new]


def test_approve_through_the_confirmation_page(caseworker_client, both, items):
    own, _other = both
    for item in items:
        stock(GWANAK, item, 3)
    url = reverse("admin:safety_kitrequest_decide", args=[own.pk, "approve"])
    assert caseworker_client.get(url).status_code == 200
    response = caseworker_client.post(url)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == KitRequestStatus.APPROVED
    assert stock_levels(district(GWANAK).pk)[items[0].pk] == 2


def test_out_of_stock_is_reported_not_a_500(caseworker_client, both, items):
    own, _other = both
    response = caseworker_client.post(
        reverse("admin:safety_kitrequest_decide", args=[own.pk, "approve"]), follow=True
    )
    assert response.status_code == 200
    assert "Out of stock" in response.content.decode() or "재고" in response.content.decode()
    own.refresh_from_db()
    assert own.status == KitRequestStatus.SUBMITTED


def test_bulk_reject_asks_for_a_reason_first(caseworker_client, both):
    own, other = both
    data = {"action": "reject_selected", "_selected_action": [own.pk, other.pk]}
    response = caseworker_client.post(CHANGELIST, data)
    assert response.status_code == 200  # the confirmation page
    response = caseworker_client.post(CHANGELIST, {**data, "post": "yes", "reason": ""})
    assert response.status_code == 200
    assert KitRequest.objects.get(pk=own.pk).status == KitRequestStatus.SUBMITTED
    caseworker_client.post(CHANGELIST, {**data, "post": "yes", "reason": "관외 거주"})
    assert KitRequest.objects.get(pk=own.pk).status == KitRequestStatus.REJECTED
    assert KitRequest.objects.get(pk=other.pk).status == KitRequestStatus.SUBMITTED  # not in scope


def test_schedule_and_complete_a_visit_in_the_admin(caseworker_client, caseworker_a, both, items):
    own, _other = both
    for item in items:
        stock(GWANAK, item, 3)
    kit_request_approve(kit_request=own, actor=caseworker_a)
    url = reverse("admin:safety_kitrequest_schedule_visit", args=[own.pk])
    response = caseworker_client.post(
        url, {"date": "2020-01-01", "window_start": "10:00", "window_end": "12:00", "installer": "김기사"}
    )
    assert response.status_code == 200  # in the past: the form says so
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = caseworker_client.post(
        url, {"date": day, "window_start": "10:00", "window_end": "12:00", "installer": "김기사"}
    )
    assert response.status_code == 302
    visit = own.visits.get()
    complete = reverse("admin:safety_kitrequest_complete_visit", args=[own.pk, visit.pk])
    response = caseworker_client.post(complete, {"outcome": "failed", "failure_reason": ""})
    assert response.status_code == 200
    response = caseworker_client.post(complete, {"outcome": "installed", "note": "설치 완료"})
    assert response.status_code == 302
    visit.refresh_from_db()
    own.refresh_from_db()
    assert visit.status == VisitStatus.INSTALLED and own.status == KitRequestStatus.INSTALLED


def test_stock_list_shows_quantities_and_is_scoped(caseworker_client, offer_a, offer_b, items):
    stock(GWANAK, items[0], 7)
    stock(JUNGGU, items[0], 9)
    response = caseworker_client.get(reverse("admin:safety_kitstock_changelist"))
    rows = list(response.context["cl"].result_list)
    assert [(row.district.code, row.available) for row in rows] == [(GWANAK, 7)]
    ledger = caseworker_client.get(reverse("admin:safety_stockmovement_changelist"))
    assert {m.district.code for m in ledger.context["cl"].result_list} == {GWANAK}
    other_stock = KitStock.objects.get(district__code=JUNGGU)
    assert (
        caseworker_client.get(reverse("admin:safety_kitstock_change", args=[other_stock.pk])).status_code
        == 302
    )


def test_receipt_and_adjustment_through_the_ledger_form(caseworker_client, offer_a, items):
    add = reverse("admin:safety_stockmovement_add")
    gwanak = district(GWANAK)
    assert caseworker_client.get(add).status_code == 200
    base = {"district": gwanak.pk, "item": items[0].pk}
    response = caseworker_client.post(add, {**base, "kind": "receipt", "quantity": 5})
    assert response.status_code == 302
    response = caseworker_client.post(add, {**base, "kind": "adjustment", "quantity": -2, "reason": ""})
    assert response.status_code == 200  # reason required
    response = caseworker_client.post(add, {**base, "kind": "adjustment", "quantity": -9, "reason": "분실"})
    assert response.status_code == 200  # would go negative
    response = caseworker_client.post(add, {**base, "kind": "adjustment", "quantity": -2, "reason": "분실"})
    assert response.status_code == 302
    assert stock_levels(gwanak.pk)[items[0].pk] == 3
    other = district(JUNGGU)
    response = caseworker_client.post(add, {**base, "district": other.pk, "kind": "receipt", "quantity": 5})
    assert response.status_code == 200  # not a district they may choose
    assert not StockMovement.objects.filter(district=other).exists()


# Session, user, the user's own and group permissions, the item filter, the capped COUNT, the page of
# requests joined to household, and their items (one prefetch). Measured on a second page load.
CHANGELIST_QUERIES = 8


@pytest.mark.parametrize("count", [5, 30])
def test_changelist_query_count_is_constant(
    caseworker_client, offer_a, items, django_assert_num_queries, count
):
    for _index in range(count):
        kit_request(GWANAK, items)
    caseworker_client.get(CHANGELIST)
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = caseworker_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == count
