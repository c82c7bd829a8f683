from django.urls import path

from . import evaluation_views, views

app_name = "community"
urlpatterns = [
    path("", views.index, name="index"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_pk>/propose/", views.proposal_new, name="proposal_new"),
    path("projects/", views.projects, name="projects"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/invite/", views.proposal_invite, name="proposal_invite"),
    path("proposals/<int:pk>/<str:action>/", views.proposal_action, name="proposal_action"),
    path("invitations/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("projects/<int:pk>/book/", views.project_booking, name="project_booking"),
    path("milestones/<int:pk>/report/", views.report_new, name="report_new"),
    path("report-files/<int:pk>/", views.report_file, name="report_file"),
    # Evaluators (staff and appointed citizens) and the district's staff, on the public site.
    path("evaluate/", evaluation_views.queue, name="evaluate"),
    path("evaluate/<int:pk>/", evaluation_views.proposal, name="evaluate_proposal"),
    path("evaluate/<int:pk>/declare/", evaluation_views.declare, name="evaluate_declare"),
    path("evaluate/<int:pk>/score/", evaluation_views.score, name="evaluate_score"),
    path("staff/calls/<int:pk>/", evaluation_views.call_ranking, name="call_ranking"),
    path("staff/calls/<int:pk>/advance/", evaluation_views.advance, name="call_advance"),
    path("staff/proposals/<int:pk>/decide/", evaluation_views.decide, name="proposal_decide"),
    path("staff/proposals/<int:pk>/screen/", evaluation_views.screen, name="proposal_screen"),
]
