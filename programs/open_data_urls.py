"""Public open-data downloads (mounted at /open-data/)."""

from django.urls import path

from .views import open_data

app_name = "open_data"

urlpatterns = [
    path("programs.csv", open_data.programs_csv, name="programs_csv"),
    path("programs.json", open_data.programs_json, name="programs_json"),
]
