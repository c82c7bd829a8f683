"""The care API under /api/v1/ (included by portal.api.urls)."""

from rest_framework.routers import SimpleRouter

from .views import AppointmentViewSet, CheckInViewSet, ServiceViewSet, StaffTaskViewSet

router = SimpleRouter()
router.register("care/services", ServiceViewSet, basename="care-service")
router.register("care/appointments", AppointmentViewSet, basename="care-appointment")
router.register("care/checkins", CheckInViewSet, basename="care-checkin")
router.register("staff/care/tasks", StaffTaskViewSet, basename="staff-care-task")
urlpatterns: list = [*router.urls]
