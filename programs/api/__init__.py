"""The programs API: the catalog and eligibility (catalog.py), applications for residents and staff
(applications.py, with their serializers in serializers.py). portal/api/urls.py registers the viewsets."""

from .applications import ApplicationViewSet, StaffApplicationViewSet
from .catalog import ProgramViewSet

__all__ = ["ApplicationViewSet", "ProgramViewSet", "StaffApplicationViewSet"]
