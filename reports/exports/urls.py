"""/reports/exports/: the export form, a job's progress page and its private download."""

from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("exports/", views.export_form, name="form"),
    path("exports/<uuid:pk>/", views.job_detail, name="job"),
    path("exports/<uuid:pk>/download/", views.job_download, name="download"),
]
