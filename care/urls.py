from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.services, name="services"),
    path("services/<int:pk>/book/", views.book, name="book"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/calendar.ics", views.appointment_ics, name="appointment_ics"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel_view, name="appointment_cancel"),
    path("appointments/<int:pk>/move/", views.appointment_move_view, name="appointment_move"),
    path("checkins/", views.checkins, name="checkins"),
    path("checkins/<int:pk>/answer/", views.checkin_answer_view, name="checkin_answer"),
    path("checkins/resume/", views.checkins_resume, name="checkins_resume"),
    path("checkins/withdraw/", views.checkins_withdraw, name="checkins_withdraw"),
    path("checkins/answer/<str:token>/", views.answer_link, name="answer_link"),
]
