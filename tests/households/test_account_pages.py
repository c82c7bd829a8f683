"""Resident account pages through the Django test client: sign-up, login throttling, profile form,
consents, the data download and account deletion."""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Consent, Household
from portal.models import AuditEvent, User
from tests.factories import GWANAK, PASSWORD, HouseholdFactory, UserFactory, district, login

pytestmark = pytest.mark.django_db

SIGNUP = reverse("households:signup")
LOGIN = reverse("households:login")
PROFILE = reverse("households:profile")
PROFILE_EDIT = reverse("households:profile_edit")
CONSENTS = reverse("households:consents")
MY_DATA = reverse("households:data_export")
DELETE = reverse("households:account_delete")
GWANAK_NEIGHBOURHOOD = "1162069500"  # 신림동


def html(response) -> str:
    return response.content.decode()


def logged_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


@pytest.fixture
def household(db):
    return HouseholdFactory(consents=[Consent.Purpose.PROFILE, Consent.Purpose.SENSITIVE], crime_victim=True)


@pytest.fixture
def household_client(client, household):
    return login(client, household.user)


# --- sign-up ---------------------------------------------------------------------------------------


def test_signup_with_weak_password_shows_the_error_and_keeps_the_email(client):
    response = client.post(
        SIGNUP, {"email": "new.resident@example.kr", "password1": "12345678", "password2": "12345678"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert 'value="new.resident@example.kr"' in html(response)
    assert not User.objects.filter(email="new.resident@example.kr").exists()
    assert logged_in_user_id(client) is None


def test_valid_signup_waits_for_the_emailed_link(client):
    response = client.post(
        SIGNUP,
        {
            "email": "New@Example.kr",
            "password1": "a-long-unique-pass-91",
            "password2": "a-long-unique-pass-91",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.kr")
    assert user.role == User.Role.RESIDENT
    assert not user.is_staff
    assert logged_in_user_id(client) is None  # logged in by the link (test_accounts_allauth.py)


# --- login throttling ------------------------------------------------------------------------------


def test_login_is_locked_after_the_failure_limit(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="target@example.kr")

    wrong = {"login": "target@example.kr", "password": "wrong-password-1"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, wrong).status_code == 200  # the form again, with its error
    # The failure that reaches the limit is answered with the lockout page already.
    assert client.post(LOGIN, wrong).status_code == 429  # django-axes 8's AXES_HTTP_RESPONSE_CODE default

    response = client.post(LOGIN, {"login": "target@example.kr", "password": PASSWORD})

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_login_with_the_right_password_before_the_limit_works(client, settings):
    settings.AXES_ENABLED = True
    user = UserFactory(email="resident@example.kr")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"login": "resident@example.kr", "password": "wrong-password-1"})
    response = client.post(LOGIN, {"login": "resident@example.kr", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == user.pk


def test_login_accepts_the_email_in_the_case_it_was_typed_at_signup(client):
    client.post(SIGNUP, {"email": "New@Example.kr", "password1": PASSWORD, "password2": PASSWORD})
    assert User.objects.filter(email="new@example.kr").exists()
    client.post(reverse("households:logout"))
    assert logged_in_user_id(client) is None

    response = client.post(LOGIN, {"login": "New@Example.kr", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == User.objects.get(email="new@example.kr").pk


# --- profile form ----------------------------------------------------------------------------------


def profile_form_data(**overrides) -> dict:
    data = {
        "name": "이솔",
        "birth_date": "1996-03-04",
        "gender": "female",
        "phone": "010-2345-6789",
        "district": str(district(GWANAK).pk),
        "neighbourhood": "",
        "address_detail": "관악로 145 2층",
        "housing_tenure": "jeonse",
        "household_size": "1",
        "monthly_income": "2,100,000",
        "employment": "job_seeking",
        "income_support": "none",
        "notify_by_email": "on",
        "consent_profile": "on",
    }
    data.update(overrides)
    return data


def test_profile_form_with_errors_keeps_every_entered_value(client):
    login(client, UserFactory())
    from portal.models import Neighbourhood

    neighbourhood = Neighbourhood.objects.get(code=GWANAK_NEIGHBOURHOOD)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = profile_form_data(birth_date=future, neighbourhood=str(neighbourhood.pk))

    response = client.post(PROFILE_EDIT, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["birth_date"]
    page = html(response)
    for name in ("name", "phone", "address_detail", "monthly_income", "birth_date", "household_size"):
        assert f'value="{escape(data[name])}"' in page, name
    for name in ("gender", "district", "neighbourhood", "housing_tenure", "employment", "income_support"):
        assert str(form[name].value()) == data[name], name
    assert form["consent_profile"].value() is True
    assert form["notify_by_email"].value() is True
    assert not Household.objects.exists()


def test_profile_form_without_consent_is_refused(client):
    user = UserFactory()
    login(client, user)
    data = profile_form_data()
    del data["consent_profile"]

    response = client.post(PROFILE_EDIT, data)

    assert response.status_code == 200
    assert "consent_profile" in response.context["form"].errors
    assert not Household.objects.filter(user=user).exists()


def test_valid_profile_form_saves_and_redirects(client):
    user = UserFactory()
    login(client, user)

    response = client.post(PROFILE_EDIT, profile_form_data())

    assert response.status_code == 302
    assert response.url == PROFILE
    household = Household.objects.get(user=user)
    assert household.name == "이솔"
    assert household.monthly_income == 2_100_000  # "2,100,000" as typed
    assert household.address_detail == "관악로 145 2층"
    assert Consent.objects.filter(user=user, purpose="profile", withdrawn_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="households.profile.created", subject_user_id=user.pk).exists()


# --- consents --------------------------------------------------------------------------------------


def test_consents_page_gives_the_sensitive_consent(client):
    household = HouseholdFactory()
    login(client, household.user)

    response = client.post(CONSENTS, {"purpose": "sensitive", "action": "give"})

    assert response.status_code == 302
    assert response.url == CONSENTS
    assert Consent.objects.filter(
        user=household.user, purpose="sensitive", withdrawn_at__isnull=True
    ).exists()


def test_consents_page_withdraws_the_sensitive_consent_and_erases_the_answers(household_client, household):
    response = household_client.post(CONSENTS, {"purpose": "sensitive", "action": "withdraw"})

    assert response.status_code == 302
    consent = Consent.objects.get(user=household.user, purpose="sensitive")
    assert consent.withdrawn_at is not None
    household.refresh_from_db()
    assert household.crime_victim is None


def test_consents_page_will_not_withdraw_the_profile_consent(household_client, household):
    response = household_client.post(CONSENTS, {"purpose": "profile", "action": "withdraw"})

    assert response.status_code == 302
    assert Consent.objects.get(user=household.user, purpose="profile").withdrawn_at is None


def test_consents_page_lists_purposes(household_client):
    response = household_client.get(CONSENTS)

    assert response.status_code == 200
    purposes = {p["value"]: p["active"] for p in response.context["purposes"]}
    assert purposes == {"profile": True, "sensitive": True, "notifications": False, "outreach": False}


# --- my data ---------------------------------------------------------------------------------------


def test_my_data_download_is_a_json_attachment_with_the_email(household_client, household):
    response = household_client.post(MY_DATA)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == household.user.email
    assert data["household"]["name"] == "김하나"
    assert AuditEvent.objects.filter(
        action="households.data.exported", subject_user_id=household.user.pk
    ).exists()


def test_my_data_needs_login(client):
    response = client.post(MY_DATA)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


# --- deleting the account --------------------------------------------------------------------------


def test_delete_with_a_wrong_password_is_refused(household_client, household):
    response = household_client.post(DELETE, {"password": "not-my-password"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    household.refresh_from_db()
    assert household.anonymized_at is None
    assert User.objects.get(pk=household.user.pk).is_active
    assert logged_in_user_id(household_client) == household.user.pk


def test_delete_with_the_right_password_anonymizes_and_logs_out(household_client, household):
    old_email = household.user.email

    response = household_client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_user_id(household_client) is None
    household.refresh_from_db()
    assert household.anonymized_at is not None
    assert household.name == ""
    user = User.objects.get(pk=household.user.pk)
    assert not user.is_active
    assert user.email != old_email
