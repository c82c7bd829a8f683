from django.urls import path

from . import views

app_name = "lockers"
urlpatterns = [
    path("", views.site_list, name="sites"),
    path("<int:pk>/register/", views.register, name="register"),
    path("parcels/", views.my_parcels, name="parcels"),
]
