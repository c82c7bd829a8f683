from django.urls import path

from . import views

app_name = "spaces"
urlpatterns = [
    path("", views.space_list, name="list"),
    path("rooms/<int:pk>/", views.room_week, name="room_week"),
    path("rooms/<int:pk>/book/", views.book, name="book"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>.ics", views.booking_ics, name="booking_ics"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel_view, name="booking_cancel"),
    path("bookings/<int:pk>/change/", views.booking_change, name="booking_change"),
    path("calendar-feed/", views.calendar_feed, name="calendar_feed"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    # Last: a space's slug could otherwise shadow the paths above.
    path("<slug:slug>/", views.space_detail, name="detail"),
]
