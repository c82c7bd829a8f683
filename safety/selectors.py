"""Reads of the safety app: a district's offer, stock levels (the ledger's sums) and the ledger."""

from __future__ import annotations

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from households.models import Household
from programs.eligibility import Outcome
from programs.selectors import eligibility_for

from .models import KitItem, KitOffer, KitRequest, KitStock, StockMovement


def offer_for(district_id: int | None) -> KitOffer | None:
    """The district's kit offer with its items, or None when it has none."""
    if district_id is None:
        return None
    offer = KitOffer.objects.select_related("program", "district").filter(district_id=district_id).first()
    if offer is not None:
        offer.offered_items = list(offer.items.order_by("position", "pk"))
    return offer


def offer_eligibility(offer: KitOffer, household: Household) -> Outcome | None:
    """The household's outcome against the offer's program; None when everyone in the district may ask."""
    if offer.program_id is None:
        return None
    return eligibility_for(program=offer.program, household=household)


def stock_levels(district_id: int, item_ids: list[int] | None = None) -> dict[int, int]:
    """Available quantity per item in a district: one aggregate query over the ledger."""
    movements = StockMovement.objects.filter(district_id=district_id)
    if item_ids is not None:
        movements = movements.filter(item_id__in=item_ids)
    return dict(movements.values("item_id").annotate(total=Sum("quantity")).values_list("item_id", "total"))


def available_subquery() -> Coalesce:
    """An annotation giving a KitStock row its current quantity (for lists: no query per row)."""
    total = (
        StockMovement.objects.filter(district_id=OuterRef("district_id"), item_id=OuterRef("item_id"))
        .order_by()
        .values("district_id", "item_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def stock_with_levels(queryset: QuerySet[KitStock] | None = None) -> QuerySet[KitStock]:
    queryset = KitStock.objects.all() if queryset is None else queryset
    return queryset.select_related("district", "item").annotate(available=available_subquery())


def ledger(*, district_id: int, item_id: int | None = None) -> QuerySet[StockMovement]:
    movements = StockMovement.objects.filter(district_id=district_id).select_related(
        "item", "request", "actor"
    )
    if item_id is not None:
        movements = movements.filter(item_id=item_id)
    return movements.order_by("-created_at", "-id")


def requests_of(household: Household) -> QuerySet[KitRequest]:
    """A resident's own requests with what their list shows (items, visits, survey) prefetched."""
    return (
        KitRequest.objects.filter(household=household)
        .select_related("survey")
        .prefetch_related("items__item", "visits")
        .order_by("-created_at", "-pk")
    )


def items_by_code() -> dict[str, KitItem]:
    return {item.code: item for item in KitItem.objects.all()}
