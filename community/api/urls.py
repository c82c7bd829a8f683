"""The community API under /api/v1/ (included by portal.api.urls)."""

from rest_framework.routers import SimpleRouter

from .views import (
    CallViewSet,
    EvaluationViewSet,
    InvitationViewSet,
    MilestoneViewSet,
    ProjectViewSet,
    ProposalViewSet,
    StaffCallViewSet,
    StaffProposalViewSet,
    StaffReportViewSet,
)

router = SimpleRouter()
router.register("community/calls", CallViewSet, basename="community-call")
router.register("community/projects", ProjectViewSet, basename="community-project")
router.register("community/proposals", ProposalViewSet, basename="community-proposal")
router.register("community/milestones", MilestoneViewSet, basename="community-milestone")
router.register("community/invitations", InvitationViewSet, basename="community-invitation")
router.register("community/evaluations", EvaluationViewSet, basename="community-evaluation")
router.register("staff/community/proposals", StaffProposalViewSet, basename="staff-community-proposal")
router.register("staff/community/calls", StaffCallViewSet, basename="staff-community-call")
router.register("staff/community/reports", StaffReportViewSet, basename="staff-community-report")
urlpatterns: list = [*router.urls]
