from django.urls import path

from . import views

app_name = "inquiries"
urlpatterns = [
    path("", views.inquiry_list, name="list"),
    path("new/", views.inquiry_form, name="new"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("<int:pk>/follow-up/", views.inquiry_follow_up_view, name="follow_up"),
    path("<int:pk>/rate/", views.inquiry_rate_view, name="rate"),
]
