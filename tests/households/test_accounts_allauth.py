"""Residents' accounts on django-allauth (issue 14): sign-up with a verified email address, password
reset by email, answers that never tell whether an address has an account, throttles, sessions the
resident can see and end, the old URLs, and the staff OTP default."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core import mail
from django.urls import reverse

from households.services import applicant_household
from portal.models import User
from programs.models import Application
from safety.models import KitItem, KitOffer
from spaces.models import Booking
from tests.factories import (
    GWANAK,
    PASSWORD,
    HouseholdFactory,
    ProgramFactory,
    UserFactory,
    district,
    login,
    space_with_room,
)

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"
SITE = "https://hana.example.kr"
NEW_PASSWORD = "another-long-pass-77"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def signup(client, email: str, **extra):
    return client.post(SIGNUP, {"email": email, "password1": PASSWORD, "password2": PASSWORD}, **extra)


def link_in(message, path_prefix: str) -> str:
    """The one link to ``path_prefix`` in an email, checked to point at SITE_URL; returns its path."""
    links = re.findall(r"https?://[!-~]+", message.body)  # ASCII: Korean text may follow
    ours = [link for link in links if urlsplit(link).path.startswith(path_prefix)]
    assert len(ours) == 1, message.body
    assert ours[0].startswith(SITE + path_prefix)
    return urlsplit(ours[0]).path


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == code, error
    assert error["message"]


# --- sign-up and verification -----------------------------------------------------------------------


def test_signup_then_the_emailed_link_verifies_logs_in_and_lets_the_resident_apply(client):
    response = signup(client, "New.Resident@Example.kr")
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    user = User.objects.get(email="new.resident@example.kr")
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.resident@example.kr"]
    path = link_in(mail.outbox[0], "/accounts/confirm-email/")

    # Opening the link shows a button: a mail scanner's GET confirms nothing.
    assert client.get(path).status_code == 200
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    confirmed = client.post(path)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert int(logged_in_user_id(client)) == user.pk
    HouseholdFactory(user=user, district=district(GWANAK))
    program = ProgramFactory(district=district(GWANAK))
    draft = client.post(
        "/api/v1/applications/drafts/", {"program": program.pk}, content_type="application/json"
    )
    assert draft.status_code in (200, 201), draft.content


def test_an_unverified_resident_may_log_in_and_send_a_new_link(client):
    user = UserFactory(email="later@example.kr", email_verified=False)

    response = client.post(LOGIN, {"login": "later@example.kr", "password": PASSWORD})

    assert response.status_code == 302
    assert int(logged_in_user_id(client)) == user.pk
    resend = client.post(reverse("account_email"), {"action_send": "", "email": "later@example.kr"})
    assert resend.status_code == 302
    path = link_in(mail.outbox[-1], "/accounts/confirm-email/")
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified


# --- unverified: no applying, booking or requesting ---------------------------------------------------


@pytest.fixture
def unverified(client):
    household = HouseholdFactory(user=UserFactory(email_verified=False), district=district(GWANAK))
    login(client, household.user)
    return household


def test_the_one_check_refuses_an_unverified_account(unverified):
    from households.services import HouseholdError

    with pytest.raises(HouseholdError) as refusal:
        applicant_household(unverified.user)
    assert refusal.value.code == "email_unverified" and refusal.value.http_status == 403


def test_unverified_cannot_apply_web_or_api(client, unverified):
    program = ProgramFactory(district=district(GWANAK))

    page = client.get(reverse("programs:apply", args=[program.pk]), follow=True)
    api = client.post(
        "/api/v1/applications/drafts/", {"program": program.pk}, content_type="application/json"
    )

    body = page.content.decode()
    assert "이메일 주소를 인증하세요" in body
    assert f'href="{reverse("account_email")}"' in body  # where a new link is sent from
    assert_error(api, 403, "email_unverified")
    assert not Application.objects.exists()


def test_unverified_cannot_book_web_or_api(client, unverified):
    room = space_with_room(GWANAK, hours=("07:00", "21:00"))

    page = client.get(reverse("spaces:book", args=[room.pk]))
    api = client.post(
        "/api/v1/bookings/",
        {"room": room.pk, "starts_at": "2030-01-07T10:00", "ends_at": "2030-01-07T11:00", "headcount": 2},
        content_type="application/json",
    )

    body = page.content.decode()
    assert "이메일 주소를 인증하세요" in body
    assert f'href="{reverse("account_email")}"' in body
    assert_error(api, 403, "email_unverified")
    assert not Booking.objects.exists()


def test_unverified_cannot_request_a_kit_api(client, unverified):
    item = KitItem.objects.create(code="alarm", name="화재경보기", name_en="Smoke alarm", icon="alarm")
    KitOffer.objects.create(district=district(GWANAK), max_items=3).items.set([item])

    api = client.post(
        "/api/v1/safety/requests/",
        {"items": [item.pk], "windows": [{"date": "2030-01-07", "slot": "morning"}]},
        content_type="application/json",
    )

    assert_error(api, 403, "email_unverified")


# --- no account enumeration -------------------------------------------------------------------------


def test_a_taken_address_answers_like_a_new_one_and_emails_its_owner(client):
    UserFactory(email="taken@example.kr")

    taken = signup(client, "Taken@Example.kr")
    new = signup(client, "fresh@example.kr")

    assert taken.status_code == new.status_code == 302
    assert taken.url == new.url
    assert logged_in_user_id(client) is None
    assert User.objects.filter(email__iexact="taken@example.kr").count() == 1
    to_owner = [m for m in mail.outbox if m.to == ["taken@example.kr"]]
    assert len(to_owner) == 1
    link_in(to_owner[0], "/accounts/password/reset/")  # the way back in: reset, at SITE_URL
    assert "reset your password" not in taken.content.decode().lower()


def test_a_reset_for_an_unknown_address_answers_like_a_known_one(client):
    UserFactory(email="known@example.kr")

    known = client.post(RESET, {"email": "known@example.kr"})
    unknown = client.post(RESET, {"email": "nobody@example.kr"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


# --- password reset ---------------------------------------------------------------------------------


def test_password_reset_round_trip(client):
    user = UserFactory(email="forgot@example.kr")

    assert client.post(RESET, {"email": "Forgot@Example.kr"}).status_code == 302
    path = link_in(mail.outbox[-1], "/accounts/password/reset/key/")
    form = client.get(path, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else path
    changed = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert changed.status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.logout()
    response = client.post(LOGIN, {"login": "forgot@example.kr", "password": NEW_PASSWORD})
    assert response.status_code == 302 and int(logged_in_user_id(client)) == user.pk
    # The link works once: a second use changes nothing.
    client.logout()
    client.get(path)
    client.post(action, {"password1": "third-long-pass-55", "password2": "third-long-pass-55"})
    user.refresh_from_db()
    assert not user.check_password("third-long-pass-55")


# --- throttles --------------------------------------------------------------------------------------


def test_signup_is_throttled_per_client_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}

    for n in range(2):
        assert signup(client, f"first{n}@example.kr", REMOTE_ADDR="203.0.113.5").status_code == 302
    third = signup(client, "third@example.kr", REMOTE_ADDR="203.0.113.5")
    other = signup(client, "other@example.kr", REMOTE_ADDR="203.0.113.6")

    assert third.status_code == 429
    assert not User.objects.filter(email="third@example.kr").exists()
    assert other.status_code == 302


def test_throttles_count_the_forwarded_client_behind_the_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    first = signup(client, "a@example.kr", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    second = signup(client, "b@example.kr", HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)
    again = signup(client, "c@example.kr", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)

    assert first.status_code == second.status_code == 302  # two clients, not one proxy
    assert again.status_code == 429


def test_password_reset_is_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/h/ip"}

    for n in range(2):
        assert client.post(RESET, {"email": f"x{n}@example.kr"}).status_code == 302
    assert client.post(RESET, {"email": "x9@example.kr"}).status_code == 429


def test_login_is_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    UserFactory(email="busy@example.kr")

    for _ in range(2):
        client.post(LOGIN, {"login": "busy@example.kr", "password": "wrong-password-1"})
    response = client.post(LOGIN, {"login": "busy@example.kr", "password": PASSWORD})

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


# --- sessions ---------------------------------------------------------------------------------------


def test_sessions_are_listed_and_the_others_revoked(client, settings):
    from django.test import Client

    user = UserFactory(email="two@example.kr")
    laptop, phone = client, Client()
    for browser, address, agent in ((laptop, "203.0.113.10", "Laptop"), (phone, "198.51.100.20", "Phone")):
        response = browser.post(
            LOGIN, {"login": user.email, "password": PASSWORD}, REMOTE_ADDR=address, HTTP_USER_AGENT=agent
        )
        assert response.status_code == 302

    page = laptop.get(reverse("usersessions_list"), REMOTE_ADDR="203.0.113.10")
    body = page.content.decode()
    assert page.status_code == 200
    assert "203.0.113.10" in body and "198.51.100.20" in body and "Phone" in body
    assert UserSession.objects.filter(user=user).count() == 2

    assert laptop.post(reverse("usersessions_list"), REMOTE_ADDR="203.0.113.10").status_code == 302

    assert phone.get(reverse("households:profile")).status_code == 302  # to the login page
    assert phone.session.get("_auth_user_id") is None
    assert laptop.session.get("_auth_user_id") is not None
    assert UserSession.objects.filter(user=user).count() == 1


# --- old URLs and staff OTP -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("households:login", "/accounts/login/"),
        ("households:signup", "/accounts/signup/"),
        ("households:logout", "/accounts/logout/"),
        ("account_login", "/accounts/login/"),
    ],
)
def test_old_urls_answer(client, name, path):
    assert reverse(name) == path
    assert client.get(path).status_code in (200, 302)


def test_logout_by_post_ends_the_session(client):
    login(client, UserFactory())
    assert client.post(reverse("households:logout")).status_code == 302
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize(("debug", "expected"), [("true", False), ("false", True)])
def test_staff_otp_default_follows_debug(debug, expected):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "STAFF_OTP_REQUIRED"}
    env.update(DEBUG=debug, SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="portal.settings")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django;django.setup();from django.conf import settings;"
            "print(settings.STAFF_OTP_REQUIRED)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == str(expected)


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "usersessions_list", "account_reset_password"]
)
def test_allauth_pages_wear_the_house_layout(client, name):
    login(client, UserFactory())

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


def test_the_adapter_loads_first_in_a_fresh_process():
    """Django runs its checks in no fixed order; allauth's adapter check can be the first thing to
    import Hana's adapter, which must then not drag in allauth's stages half-way (a circular import
    that stopped `migrate` in a production install)."""
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup()\n"
        "from allauth.account.checks import adapter_check\n"
        "assert adapter_check(None) == []\n"
        "from allauth.account.adapter import get_adapter\n"
        "assert any(s.endswith('SignupEmailVerificationStage') for s in get_adapter().get_login_stages())\n"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
