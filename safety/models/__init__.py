"""Home-safety kits (안심홈세트): the catalogue, each district's offer, stock and its ledger, requests and
installation visits. Modules: catalogue (KitItem, KitOffer), stock (KitStock, StockMovement), requests
(KitRequest with its items, visits and survey)."""

from .catalogue import KitItem, KitOffer
from .requests import (
    OPEN_STATUSES,
    OPEN_VISIT_STATUSES,
    RESERVING_STATUSES,
    InstallationVisit,
    KitRequest,
    KitRequestItem,
    KitRequestStatus,
    Priority,
    SatisfactionSurvey,
    Slot,
    VisitStatus,
)
from .stock import KitStock, MovementKind, StockMovement

__all__ = [
    "OPEN_STATUSES",
    "OPEN_VISIT_STATUSES",
    "RESERVING_STATUSES",
    "InstallationVisit",
    "KitItem",
    "KitOffer",
    "KitRequest",
    "KitRequestItem",
    "KitRequestStatus",
    "KitStock",
    "MovementKind",
    "Priority",
    "SatisfactionSurvey",
    "Slot",
    "StockMovement",
    "VisitStatus",
]
