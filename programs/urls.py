from django.urls import path

from .views import applications, catalog, documents, outreach

app_name = "programs"
urlpatterns = [
    path("", catalog.catalog, name="catalog"),
    path("for-me/", catalog.may_qualify, name="may_qualify"),
    path("<int:pk>/", catalog.detail, name="detail"),
    path("<int:pk>/not-interested/", outreach.not_interested, name="not_interested"),
    path("new-for-you/<int:pk>/", outreach.outreach_open, name="outreach_open"),
    path("<int:pk>/apply/", applications.apply, name="apply"),
    path("<int:pk>/apply/check/", applications.apply_check, name="apply_check"),
    path("applications/", applications.application_list, name="application_list"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/submitted/",
        applications.application_submitted,
        name="application_submitted",
    ),
    path("applications/<int:pk>/cancel/", applications.application_cancel_view, name="application_cancel"),
    path("documents/<int:doc_id>/", documents.document_download, name="document_download"),
]
