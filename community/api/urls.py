"""The community API under /api/v1/ (included by portal.api.urls)."""

from django.urls import include, path  # noqa: F401
from rest_framework.routers import SimpleRouter

router = SimpleRouter()
urlpatterns: list = [*router.urls]
