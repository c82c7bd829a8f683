"""Safety-kit fixtures: the 8 items, an offer and stock in district A (관악구) and B (중구)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safety.models import KitItem, KitOffer
from safety.services import stock_receive
from tests.factories import GWANAK, JUNGGU, district

ITEMS = [
    ("door-double-lock", "현관문 이중잠금장치", "Door double lock", "🔒"),
    ("emergency-bell", "휴대용 비상벨", "Portable emergency bell", "🔔"),
    ("window-lock", "창문 잠금장치", "Window lock", "🪟"),
    ("smart-sensor", "스마트 안전센서", "Smart safety sensor", "📡"),
]


def windows(days: int = 3, slot: str = "morning") -> list[dict]:
    return [{"date": (timezone.localdate() + timedelta(days=days)).isoformat(), "slot": slot}]


@pytest.fixture
def items(db) -> list[KitItem]:
    return [
        KitItem.objects.create(code=code, name=name, name_en=name_en, icon=icon, position=index)
        for index, (code, name, name_en, icon) in enumerate(ITEMS)
    ]


def make_offer(code: str, items: list[KitItem], *, max_items: int = 3, program=None) -> KitOffer:
    offer = KitOffer.objects.create(district=district(code), max_items=max_items, program=program)
    offer.items.set(items)
    return offer


@pytest.fixture
def offer_a(items) -> KitOffer:
    return make_offer(GWANAK, items)


@pytest.fixture
def offer_b(items) -> KitOffer:
    return make_offer(JUNGGU, items)


def stock(code: str, item: KitItem, quantity: int) -> None:
    stock_receive(district=district(code), item=item, quantity=quantity, actor=None, reason="test")


@pytest.fixture
def stocked_a(offer_a, items) -> KitOffer:
    for item in items:
        stock(GWANAK, item, 20)
    return offer_a
