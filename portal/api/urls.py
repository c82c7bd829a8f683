from django.urls import include, path
from rest_framework.routers import DefaultRouter

from households.api import MyHouseholdView
from portal.inbox_api import InboxViewSet
from programs.api import ProgramViewSet
from programs.application_api import ApplicationViewSet, StaffApplicationViewSet

router = DefaultRouter()
router.register("programs", ProgramViewSet, basename="program")
router.register("applications", ApplicationViewSet, basename="application")
router.register("staff/applications", StaffApplicationViewSet, basename="staff-application")
router.register("inbox", InboxViewSet, basename="inbox")

urlpatterns = [
    path("", include(router.urls)),
    path("me/household/", MyHouseholdView.as_view(), name="my-household"),
]
