from django.urls import path

from . import application_views, views

app_name = "programs"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("for-me/", views.may_qualify, name="may_qualify"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apply/", application_views.apply, name="apply"),
    path("<int:pk>/apply/check/", application_views.apply_check, name="apply_check"),
    path("applications/", application_views.application_list, name="application_list"),
    path("applications/<int:pk>/", application_views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/submitted/",
        application_views.application_submitted,
        name="application_submitted",
    ),
    path(
        "applications/<int:pk>/cancel/", application_views.application_cancel_view, name="application_cancel"
    ),
    path("documents/<int:doc_id>/", application_views.document_download, name="document_download"),
]
