"""The safety part of the demo data: items, offers, stock and requests, written once."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from safety.models import KitItem, KitOffer, KitRequest, StockMovement

pytestmark = pytest.mark.django_db


def test_demo_kits_load_once():
    load_demo()
    counts = (
        KitItem.objects.count(),
        KitOffer.objects.count(),
        StockMovement.objects.count(),
        KitRequest.objects.count(),
    )
    load_demo()
    assert counts == (
        KitItem.objects.count(),
        KitOffer.objects.count(),
        StockMovement.objects.count(),
        KitRequest.objects.count(),
    )
    assert counts[0] == 8
    assert set(KitOffer.objects.values_list("district__code", "max_items")) == {
        ("11620", 3),
        ("11560", 2),
        ("11140", 2),
    }
    assert KitOffer.objects.get(district__code="11560").program.slug == "yeongdeungpo-safe-home-set"
    assert set(KitRequest.objects.values_list("status", flat=True)) == {"installed", "scheduled", "submitted"}
