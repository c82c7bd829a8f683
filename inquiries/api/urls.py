"""The inquiries API under /api/v1/ (included by portal.api.urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .inbound import InboundEmailView, InboundSmsView
from .resident import InquiryViewSet
from .staff import StaffAnswerTemplateViewSet, StaffInquiryViewSet

router = SimpleRouter()
router.register("inquiries", InquiryViewSet, basename="inquiry")
# Before the inquiries: "inquiries/templates/" must not be read as an inquiry id (ids are digits anyway).
router.register("staff/inquiries/templates", StaffAnswerTemplateViewSet, basename="staff-inquiry-template")
router.register("staff/inquiries", StaffInquiryViewSet, basename="staff-inquiry")
urlpatterns: list = [
    path("inquiries/inbound/sms/", InboundSmsView.as_view(), name="inquiry-inbound-sms"),
    path("inquiries/inbound/email/", InboundEmailView.as_view(), name="inquiry-inbound-email"),
    *router.urls,
]
