"""A district's kit stock: receipts, adjustments, reservations for requests and the low-stock alert.

Stock is the sum of the ledger (StockMovement) and is only ever changed with the item's KitStock row
locked: approvals lock the rows of all the request's items in item-id order (one fixed order, so two
approvals wanting the same items can never deadlock), sum the ledger under the lock and insert their
reservations before committing. Two simultaneous approvals therefore see each other's reservations, and
stock can never go below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal import outbox
from portal.audit import audit_log
from portal.models import District, User
from portal.notifications import notify
from portal.timeutils import local_today

from ..models import KitItem, KitRequest, KitStock, MovementKind, StockMovement
from .base import SafetyError


def lock_stock_rows(district_id: int, item_ids: Iterable[int]) -> dict[int, KitStock]:
    """Lock the KitStock rows of these items in item-id order: the one order every writer uses."""
    rows = KitStock.objects.select_for_update().filter(district_id=district_id, item_id__in=list(item_ids))
    return {row.item_id: row for row in rows.order_by("item_id")}


def levels(district_id: int, item_ids: Iterable[int]) -> dict[int, int]:
    """What is available of each item: the ledger's sum. Read it with the KitStock rows locked."""
    sums = (
        StockMovement.objects.filter(district_id=district_id, item_id__in=list(item_ids))
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    return dict(sums)


def queue_low_stock(district_id: int, item_id: int) -> None:
    """Queue the low-stock alert in the current transaction, through the task outbox: recorded with the
    approval that took the stock down, so a broker outage delays the alert but never loses it nor turns
    the saved approval into an error. Call it inside the approval's transaction."""
    from ..tasks import alert_low_stock  # tasks import the services: a module-level import would cycle

    outbox.enqueue(alert_low_stock, district_id, item_id)


def _reserved(kit_request: KitRequest) -> dict[int, int]:
    """What this request holds now, per item (reservations are negative, releases positive)."""
    held = (
        StockMovement.objects.filter(request=kit_request)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    return {item_id: -total for item_id, total in held if total < 0}


def release(kit_request: KitRequest, *, actor: User | None) -> None:
    """Give back what the request reserved (on rejection or cancellation): release movements."""
    held = _reserved(kit_request)
    if not held:
        return
    lock_stock_rows(kit_request.district_id, sorted(held))
    StockMovement.objects.bulk_create(
        StockMovement(
            district_id=kit_request.district_id,
            item_id=item_id,
            quantity=quantity,
            kind=MovementKind.RELEASE,
            request=kit_request,
            actor=actor,
        )
        for item_id, quantity in sorted(held.items())
    )


def _stock_row(district: District, item: KitItem) -> KitStock:
    KitStock.objects.get_or_create(district=district, item=item)
    return KitStock.objects.select_for_update().get(district=district, item=item)


@transaction.atomic
def stock_receive(
    *, district: District, item: KitItem, quantity: int, actor: User | None, reason: str = ""
) -> StockMovement:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise SafetyError("invalid_quantity", _("Enter how many arrived: a whole number of at least 1."))
    _stock_row(district, item)
    movement = StockMovement.objects.create(
        district=district,
        item=item,
        quantity=quantity,
        kind=MovementKind.RECEIPT,
        reason=reason.strip(),
        actor=actor,
    )
    audit_log(
        actor=actor,
        action="safety.stock.received",
        target=movement,
        district=district,
        data={"item": item.code, "quantity": quantity},
    )
    return movement


@transaction.atomic
def stock_adjust(
    *, district: District, item: KitItem, quantity: int, actor: User | None, reason: str
) -> StockMovement:
    """A correction after a count (lost, damaged, found): signed, with a reason; never below zero."""
    reason = reason.strip()
    if not reason:
        raise SafetyError("reason_required", _("Say why the stock is adjusted."))
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity == 0:
        raise SafetyError("invalid_quantity", _("Enter the change as a whole number, e.g. -2 or 3."))
    _stock_row(district, item)
    available = levels(district.pk, [item.pk]).get(item.pk, 0)
    if available + quantity < 0:
        raise SafetyError(
            "negative_stock",
            _("Only %(available)d of %(item)s are available: the adjustment would make stock negative.")
            % {"available": available, "item": item},
        )
    movement = StockMovement.objects.create(
        district=district,
        item=item,
        quantity=quantity,
        kind=MovementKind.ADJUSTMENT,
        reason=reason,
        actor=actor,
    )
    audit_log(
        actor=actor,
        action="safety.stock.adjusted",
        target=movement,
        district=district,
        data={"item": item.code, "quantity": quantity, "reason": reason},
    )
    return movement


def stock_low_alert(*, district_id: int, item_id: int, on: date | None = None) -> int:
    """Tell the district's caseworkers and managers that an item is running low; at most once a day
    per district and item (the event key names the Seoul day). Returns how many staff were told."""
    stock = (
        KitStock.objects.select_related("district", "item")
        .filter(district_id=district_id, item_id=item_id)
        .first()
    )
    if stock is None:
        return 0
    available = levels(district_id, [item_id]).get(item_id, 0)
    if available > stock.low_stock_threshold:
        return 0
    day = on or local_today()
    staff = User.objects.filter(
        district_id=district_id,
        is_active=True,
        is_staff=True,
        role__in=[User.Role.CASEWORKER, User.Role.DISTRICT_MANAGER],
    ).order_by("pk")
    told = 0
    with transaction.atomic():
        for user in staff:
            told += bool(
                notify(
                    user=user,
                    template="safety.stock.low",
                    event_key=f"safety-low-stock:{district_id}:{item_id}:{day:%Y%m%d}:{user.pk}",
                    context={
                        "item": str(stock.item),
                        "district": str(stock.district),
                        "available": available,
                        "link": f"{settings.SITE_URL}/admin/safety/kitstock/{stock.pk}/change/",
                    },
                )
            )
    return told
