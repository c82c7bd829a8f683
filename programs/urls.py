from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("for-me/", views.may_qualify, name="may_qualify"),
    path("<int:pk>/", views.detail, name="detail"),
]
