"""Parcel lockers over the API. Modules: kiosk (device-token pickup), resident (sites, registrations,
my parcels), staff (the district's deliveries and deposits). Refusals are answered by portal.api.errors."""

from .kiosk import KioskPickupView
from .resident import LockerRegistrationViewSet, LockerSiteViewSet, MyDeliveryViewSet
from .staff import StaffDeliveryViewSet

__all__ = [
    "KioskPickupView",
    "LockerRegistrationViewSet",
    "LockerSiteViewSet",
    "MyDeliveryViewSet",
    "StaffDeliveryViewSet",
]
