from django.urls import include, path
from rest_framework.routers import DefaultRouter

from households.access_api import MyDataAccessView
from households.api import MyHouseholdView
from households.outreach_api import MyOutreachView
from households.phone_api import PhoneVerificationConfirmView, PhoneVerificationView
from lockers.api import (
    KioskPickupView,
    LockerRegistrationViewSet,
    LockerSiteViewSet,
    MyDeliveryViewSet,
    StaffDeliveryViewSet,
)
from portal.inbox_api import InboxViewSet
from programs.api import ApplicationViewSet, ProgramViewSet, StaffApplicationViewSet
from reports.exports.api import StaffExportViewSet
from safety.api import KitRequestViewSet, OfferView, StaffKitRequestViewSet, StaffVisitViewSet
from spaces.api import (
    BookingViewSet,
    RoomViewSet,
    SpaceViewSet,
    StaffBookingSeriesViewSet,
    StaffBookingViewSet,
)

router = DefaultRouter()
router.register("programs", ProgramViewSet, basename="program")
router.register("applications", ApplicationViewSet, basename="application")
router.register("staff/applications", StaffApplicationViewSet, basename="staff-application")
router.register("inbox", InboxViewSet, basename="inbox")
router.register("safety/requests", KitRequestViewSet, basename="safety-request")
# Before the requests: "requests/visits/…" must not be read as a request id (ids are digits anyway).
router.register("staff/safety/requests/visits", StaffVisitViewSet, basename="staff-safety-visit")
router.register("staff/safety/requests", StaffKitRequestViewSet, basename="staff-safety-request")
router.register("lockers/sites", LockerSiteViewSet, basename="locker-site")
router.register("lockers/registrations", LockerRegistrationViewSet, basename="locker-registration")
router.register("lockers/deliveries", MyDeliveryViewSet, basename="locker-delivery")
router.register("staff/lockers/deliveries", StaffDeliveryViewSet, basename="staff-locker-delivery")
# Before the spaces: "spaces/rooms/…" must not be read as a space id (ids are digits anyway).
router.register("spaces/rooms", RoomViewSet, basename="space-room")
router.register("spaces", SpaceViewSet, basename="space")
router.register("bookings", BookingViewSet, basename="booking")
router.register("staff/bookings", StaffBookingViewSet, basename="staff-booking")
router.register("staff/booking-series", StaffBookingSeriesViewSet, basename="staff-booking-series")
router.register("staff/exports", StaffExportViewSet, basename="staff-export")

urlpatterns = [
    path("", include(router.urls)),
    path("", include("benefits.api.urls")),
    path("", include("care.api.urls")),
    path("", include("inquiries.api.urls")),
    path("", include("community.api.urls")),
    path("me/household/", MyHouseholdView.as_view(), name="my-household"),
    path("me/phone/verification/", PhoneVerificationView.as_view(), name="my-phone-verification"),
    path("me/phone/verification/confirm/", PhoneVerificationConfirmView.as_view(), name="my-phone-confirm"),
    path("me/outreach/", MyOutreachView.as_view(), name="my-outreach"),
    path("me/data-access/", MyDataAccessView.as_view(), name="my-data-access"),
    path("safety/offer/", OfferView.as_view(), name="safety-offer"),
    path("kiosk/pickup/", KioskPickupView.as_view(), name="kiosk-pickup"),
]
