"""Safety kits over the API. Modules: serializers, resident (the offer and a resident's own requests),
staff (the district's queue, decisions and visits). Refusals are answered by portal.api.errors."""

from .resident import KitRequestViewSet, OfferView
from .staff import StaffKitRequestViewSet, StaffVisitViewSet

__all__ = ["KitRequestViewSet", "OfferView", "StaffKitRequestViewSet", "StaffVisitViewSet"]
