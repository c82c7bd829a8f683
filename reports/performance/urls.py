"""/reports/performance/: the list of monthly reports, a report's printable page and its XLSX."""

from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.report_generate, name="generate"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/download/", views.report_download, name="download"),
]
