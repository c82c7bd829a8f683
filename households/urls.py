from allauth.account import views as account_views
from django.urls import path

from . import access_views, outreach_views, phone_views, views

app_name = "households"
# Sign-up, login and logout are allauth's views (mounted again by allauth.urls under the same paths,
# as account_signup etc.); the households: names stay because templates and tests reverse them.
urlpatterns = [
    path("signup/", account_views.signup, name="signup"),
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("phone/", phone_views.phone_verify, name="phone_verify"),
    path("consents/", views.consents, name="consents"),
    path("outreach/", outreach_views.outreach_settings, name="outreach"),
    path("my-data/", views.data_export, name="data_export"),
    path("my-data/access/", access_views.data_access, name="data_access"),
    path("delete/", views.account_delete_view, name="account_delete"),
]
