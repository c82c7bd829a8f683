"""The kit-request lifecycle through the services: every transition, refusals and the stock ledger."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from portal.models import AuditEvent, Notification
from safety.models import KitRequestStatus, KitStock, MovementKind, StockMovement, VisitStatus
from safety.selectors import stock_levels
from safety.services import (
    SafetyError,
    kit_request_approve,
    kit_request_cancel,
    kit_request_reject,
    kit_request_submit,
    stock_adjust,
    survey_submit,
    visit_complete,
    visit_reschedule_request,
    visit_schedule,
)
from tests.factories import GWANAK, HouseholdFactory, ProgramFactory, add_rules, district
from tests.safety.conftest import make_offer, stock, windows

S = KitRequestStatus
pytestmark = pytest.mark.django_db


def submit(user, items, count=2, **kwargs):
    return kit_request_submit(user=user, item_ids=[i.pk for i in items[:count]], windows=windows(), **kwargs)


def level(item) -> int:
    return stock_levels(district(GWANAK).pk).get(item.pk, 0)


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def schedule(kit_request, actor):
    return visit_schedule(
        kit_request=kit_request,
        actor=actor,
        date=tomorrow(),
        window_start=time(10),
        window_end=time(12),
        installer="안심설치 김기사",
    )


def test_submit_stores_reference_priority_items_and_eligibility(resident, stocked_a, items):
    kit_request = submit(resident, items)

    assert kit_request.status == S.SUBMITTED
    assert kit_request.reference == f"KS-{timezone.localdate().year}-{kit_request.pk:06d}"
    assert kit_request.priority == 3  # monthly rent: a renter
    assert kit_request.eligibility_verdict == "eligible"
    assert sorted(kit_request.items.values_list("item_id", flat=True)) == [items[0].pk, items[1].pk]
    assert kit_request.district.code == GWANAK
    assert AuditEvent.objects.filter(action="safety.kit_request.submitted").count() == 1
    assert Notification.objects.filter(template="safety.kit_request.submitted", user=resident).count() >= 1


@pytest.mark.parametrize(
    ("income_support", "tenure", "priority"),
    [
        ("basic_livelihood", "owned", 1),
        ("near_poverty", "jeonse", 2),
        ("none", "public_rental", 3),
        ("none", "owned", 9),
    ],
)
def test_priority_groups(stocked_a, items, income_support, tenure, priority):
    user = HouseholdFactory(income_support=income_support, housing_tenure=tenure).user
    assert submit(user, items).priority == priority


def test_ineligible_request_still_goes_to_review_with_its_lines(resident, items):
    program = ProgramFactory()
    add_rules(program, {"field": "gender", "operator": "eq", "value": "male", "explanation": "남성"})
    make_offer(GWANAK, items, program=program)

    kit_request = submit(resident, items)

    assert kit_request.status == S.SUBMITTED
    assert kit_request.eligibility_verdict == "ineligible"
    assert kit_request.eligibility_lines and kit_request.eligibility_lines[0]["passed"] is False
    assert kit_request.eligibility_rule_version == program.rule_version


@pytest.mark.parametrize(
    ("item_count", "wins", "code"),
    [
        (0, None, "items_required"),
        (4, None, "too_many_items"),
        (1, [], "windows_required"),
        (1, [{"date": "2020-01-01", "slot": "morning"}], "window_in_past"),
        (1, [{"date": "2099-01-01", "slot": "morning"}], "window_too_far"),  # found in the browser
        (1, [{"date": "2026-02-30", "slot": "morning"}], "invalid_window"),
        (1, [{"date": "tomorrow", "slot": "noon"}], "invalid_window"),
        (1, "not a list", "windows_required"),
    ],
)
def test_submit_refusals(resident, stocked_a, items, item_count, wins, code):
    with pytest.raises(SafetyError) as caught:
        kit_request_submit(
            user=resident,
            item_ids=[i.pk for i in items[:item_count]],
            windows=windows() if wins is None else wins,
        )
    assert caught.value.code == code


def test_item_outside_the_offer_is_refused(resident, items):
    make_offer(GWANAK, items[:2])
    with pytest.raises(SafetyError) as caught:
        kit_request_submit(user=resident, item_ids=[items[3].pk], windows=windows())
    assert caught.value.code == "invalid_item"


def test_no_offer_in_the_district(resident, items):
    with pytest.raises(SafetyError) as caught:
        submit(resident, items)
    assert caught.value.code == "no_offer"


def test_one_open_request_per_household(resident, stocked_a, items):
    submit(resident, items)
    with pytest.raises(SafetyError) as caught:
        submit(resident, items)
    assert caught.value.code == "duplicate"


def test_approve_reserves_one_of_each_item(resident, caseworker_a, stocked_a, items):
    kit_request = submit(resident, items)

    kit_request_approve(kit_request=kit_request, actor=caseworker_a)

    kit_request.refresh_from_db()
    assert kit_request.status == S.APPROVED
    assert kit_request.decided_by == caseworker_a
    assert level(items[0]) == 19 and level(items[1]) == 19 and level(items[2]) == 20
    reservations = StockMovement.objects.filter(request=kit_request, kind=MovementKind.RESERVATION)
    assert sorted(reservations.values_list("item_id", "quantity")) == [(items[0].pk, -1), (items[1].pk, -1)]


def test_approve_refuses_when_an_item_is_out_of_stock(resident, caseworker_a, offer_a, items):
    stock(GWANAK, items[0], 5)  # none of items[1] ever arrived
    kit_request = submit(resident, items)

    with pytest.raises(SafetyError) as caught:
        kit_request_approve(kit_request=kit_request, actor=caseworker_a)

    assert caught.value.code == "out_of_stock"
    assert items[1].name in caught.value.message
    assert level(items[0]) == 5
    kit_request.refresh_from_db()
    assert kit_request.status == S.SUBMITTED


def test_reject_needs_a_reason_and_releases_reserved_stock(resident, caseworker_a, stocked_a, items):
    kit_request = submit(resident, items)
    with pytest.raises(SafetyError) as caught:
        kit_request_reject(kit_request=kit_request, actor=caseworker_a, reason="  ")
    assert caught.value.code == "reason_required"
    kit_request_approve(kit_request=kit_request, actor=caseworker_a)

    kit_request_reject(kit_request=kit_request, actor=caseworker_a, reason="관외 전출 확인")

    kit_request.refresh_from_db()
    assert kit_request.status == S.REJECTED
    assert kit_request.decision_reason == "관외 전출 확인"
    assert level(items[0]) == 20
    assert StockMovement.objects.filter(request=kit_request, kind=MovementKind.RELEASE).count() == 2


def test_cancel_releases_stock_and_only_by_the_owner(resident, caseworker_a, stocked_a, items):
    kit_request = submit(resident, items)
    kit_request_approve(kit_request=kit_request, actor=caseworker_a)
    schedule(kit_request, caseworker_a)
    other = HouseholdFactory().user
    with pytest.raises(SafetyError) as caught:
        kit_request_cancel(user=other, kit_request=kit_request)
    assert caught.value.code == "not_found"

    kit_request_cancel(user=resident, kit_request=kit_request)

    kit_request.refresh_from_db()
    assert kit_request.status == S.CANCELLED
    assert level(items[0]) == 20
    assert kit_request.visits.get().status == VisitStatus.REPLACED
    with pytest.raises(SafetyError) as caught:
        kit_request_cancel(user=resident, kit_request=kit_request)
    assert caught.value.code == "invalid_transition"


def test_cancel_before_approval_moves_no_stock(resident, stocked_a, items):
    kit_request = submit(resident, items)
    kit_request_cancel(user=resident, kit_request=kit_request)
    assert not StockMovement.objects.filter(request=kit_request).exists()


def test_visit_schedule_reschedule_and_install_then_survey(resident, caseworker_a, stocked_a, items):
    kit_request = submit(resident, items)
    with pytest.raises(SafetyError):
        schedule(kit_request, caseworker_a)  # not approved yet
    kit_request_approve(kit_request=kit_request, actor=caseworker_a)
    first = schedule(kit_request, caseworker_a)
    kit_request.refresh_from_db()
    assert kit_request.status == S.SCHEDULED

    visit_reschedule_request(user=resident, kit_request=kit_request, note="평일 저녁만 가능합니다")
    first.refresh_from_db()
    assert first.status == VisitStatus.RESCHEDULE_REQUESTED
    second = schedule(kit_request, caseworker_a)
    first.refresh_from_db()
    assert first.status == VisitStatus.REPLACED
    with pytest.raises(SafetyError):
        survey_submit(user=resident, kit_request=kit_request, rating=5)

    visit_complete(visit=second, actor=caseworker_a, installed=True, note="이중잠금장치 설치 완료")

    kit_request.refresh_from_db()
    assert kit_request.status == S.INSTALLED
    assert level(items[0]) == 19  # installed: the reservation stays as the item used
    survey = survey_submit(user=resident, kit_request=kit_request, rating=5, comment="친절했습니다")
    assert survey.rating == 5
    with pytest.raises(SafetyError) as caught:
        survey_submit(user=resident, kit_request=kit_request, rating=4)
    assert caught.value.code == "duplicate"


def test_failed_visit_needs_a_reason_and_returns_to_approved(resident, caseworker_a, stocked_a, items):
    kit_request = submit(resident, items)
    kit_request_approve(kit_request=kit_request, actor=caseworker_a)
    visit = schedule(kit_request, caseworker_a)
    with pytest.raises(SafetyError) as caught:
        visit_complete(visit=visit, actor=caseworker_a, installed=False)
    assert caught.value.code == "reason_required"

    visit_complete(visit=visit, actor=caseworker_a, installed=False, failure_reason="부재중")

    kit_request.refresh_from_db()
    visit.refresh_from_db()
    assert kit_request.status == S.APPROVED
    assert visit.status == VisitStatus.FAILED
    assert level(items[0]) == 19  # still reserved for the next visit
    with pytest.raises(SafetyError):
        visit_complete(visit=visit, actor=caseworker_a, installed=True)


def test_visit_schedule_refusals(resident, caseworker_a, stocked_a, items):
    kit_request = submit(resident, items)
    kit_request_approve(kit_request=kit_request, actor=caseworker_a)
    with pytest.raises(SafetyError) as caught:
        visit_schedule(
            kit_request=kit_request,
            actor=caseworker_a,
            date=tomorrow(),
            window_start=time(12),
            window_end=time(10),
            installer="x",
        )
    assert caught.value.code == "invalid_window"
    with pytest.raises(SafetyError) as caught:
        visit_schedule(
            kit_request=kit_request,
            actor=caseworker_a,
            date=tomorrow(),
            window_start=time(10),
            window_end=time(12),
            installer=" ",
        )
    assert caught.value.code == "installer_required"
    with pytest.raises(SafetyError) as caught:
        visit_reschedule_request(user=resident, kit_request=kit_request, note="다른 날")
    assert caught.value.code == "invalid_transition"


def test_stock_adjust_needs_a_reason_and_cannot_go_negative(caseworker_a, offer_a, items):
    stock(GWANAK, items[0], 3)
    gwanak = district(GWANAK)
    with pytest.raises(SafetyError) as caught:
        stock_adjust(district=gwanak, item=items[0], quantity=-1, actor=caseworker_a, reason="")
    assert caught.value.code == "reason_required"
    with pytest.raises(SafetyError) as caught:
        stock_adjust(district=gwanak, item=items[0], quantity=-4, actor=caseworker_a, reason="분실")
    assert caught.value.code == "negative_stock"

    stock_adjust(district=gwanak, item=items[0], quantity=-3, actor=caseworker_a, reason="파손 3개")

    assert level(items[0]) == 0
    assert KitStock.objects.filter(district=gwanak, item=items[0]).count() == 1
    kinds = list(
        StockMovement.objects.filter(item=items[0]).order_by("pk").values_list("kind", "quantity", "reason")
    )
    assert kinds == [("receipt", 3, "test"), ("adjustment", -3, "파손 3개")]


def test_history_records_who_changed_the_request(resident, caseworker_a, stocked_a, items):
    kit_request = submit(resident, items)
    kit_request_approve(kit_request=kit_request, actor=caseworker_a)
    records = list(kit_request.history.order_by("history_date").values_list("status", "history_user_id"))
    assert records[0] == ("submitted", resident.pk)
    assert records[-1] == ("approved", caseworker_a.pk)
