from django.contrib.auth import views as auth_views
from django.urls import path

from . import access_views, phone_views, views
from .forms import LoginForm

app_name = "households"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("phone/", phone_views.phone_verify, name="phone_verify"),
    path("consents/", views.consents, name="consents"),
    path("my-data/", views.data_export, name="data_export"),
    path("my-data/access/", access_views.data_access, name="data_access"),
    path("delete/", views.account_delete_view, name="account_delete"),
]
