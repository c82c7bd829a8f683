from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from households.outreach_views import outreach_unsubscribe
from programs.views.home import home

from . import inbox_views, security_headers, staff_session, views
from .observability.metrics import metrics_view

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("metrics", metrics_view, name="metrics"),
    path("programs/", include("programs.urls")),
    path("safety/", include("safety.urls")),
    path("spaces/", include("spaces.urls")),
    path("accounts/", include("households.urls")),
    # allauth: email verification, password reset, sessions (and login/sign-up/logout, which the
    # households: names above already answer on the same paths).
    path("accounts/", include("allauth.urls")),
    # The link in every outreach message: no login (households.outreach_views).
    path("outreach/unsubscribe/<str:token>/", outreach_unsubscribe, name="outreach_unsubscribe"),
    path("lockers/", include("lockers.urls")),
    path("benefits/", include("benefits.urls")),
    path("care/", include("care.urls")),
    path("inquiries/", include("inquiries.urls")),
    path("community/", include("community.urls")),
    path("reports/dashboard/", include("reports.dashboard.urls")),
    path("reports/performance/", include("reports.performance.urls")),
    path("reports/", include("reports.exports.urls")),
    path("open-data/", include("programs.open_data_urls")),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/read-all/", inbox_views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", inbox_views.inbox_open, name="inbox_open"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (`?script`), not inline.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("csp-report", security_headers.csp_report, name="csp-report"),
    path("admin-keepalive/", staff_session.keepalive, name="admin-keepalive"),
    path("admin/", admin.site.urls),
]
