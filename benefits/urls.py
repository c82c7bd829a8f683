from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.bank_account, name="bank_account"),
    path("applications/<int:application_pk>/claim/", views.claim, name="claim"),
    path("reverify/<int:pk>/", views.reverify, name="reverify"),
]
