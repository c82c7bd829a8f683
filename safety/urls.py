from django.urls import path

from . import views

app_name = "safety"
urlpatterns = [
    path("", views.offer, name="offer"),
    path("request/", views.request_form, name="request_form"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/submitted/", views.request_submitted, name="request_submitted"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/reschedule/", views.request_reschedule, name="request_reschedule"),
    path("requests/<int:pk>/survey/", views.request_survey, name="request_survey"),
]
