"""The benefits API under /api/v1/ (included by portal.api.urls)."""

from rest_framework.routers import SimpleRouter

from .views import (
    AwardViewSet,
    ClaimViewSet,
    ExecutionViewSet,
    StaffBatchViewSet,
    StaffClaimViewSet,
    StaffPaymentViewSet,
)

router = SimpleRouter()
router.register("benefits/awards", AwardViewSet, basename="benefits-award")
router.register("benefits/claims", ClaimViewSet, basename="benefits-claim")
router.register("staff/benefits/claims", StaffClaimViewSet, basename="staff-benefits-claim")
router.register("staff/benefits/execution", ExecutionViewSet, basename="staff-benefits-execution")
router.register("staff/benefits/payments", StaffPaymentViewSet, basename="staff-benefits-payment")
router.register("staff/benefits/batches", StaffBatchViewSet, basename="staff-benefits-batch")
urlpatterns: list = [*router.urls]
