from django.urls import include, path
from rest_framework.routers import DefaultRouter

from households.api import MyHouseholdView
from programs.api import ProgramViewSet

router = DefaultRouter()
router.register("programs", ProgramViewSet, basename="program")

urlpatterns = [
    path("", include(router.urls)),
    path("me/household/", MyHouseholdView.as_view(), name="my-household"),
]
