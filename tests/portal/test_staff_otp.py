"""Staff 2-step login (TOTP, django-otp) on /admin/, required when STAFF_OTP_REQUIRED is on."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
LOGIN = reverse("admin:login")


@pytest.fixture
def otp_on(settings):
    settings.STAFF_OTP_REQUIRED = True


@pytest.fixture
def device(caseworker_a) -> TOTPDevice:
    return TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)


def current_token(device: TOTPDevice) -> str:
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{token:0{device.digits}d}"


def log_in(client, user, **extra):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD, "next": ADMIN, **extra})


def test_the_login_form_asks_for_the_token(client, otp_on):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert 'name="otp_token"' in response.content.decode()


def test_a_password_alone_is_not_enough(client, otp_on, caseworker_a, device):
    response = log_in(client, caseworker_a)

    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert "otp_token" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_wrong_token_is_refused(client, otp_on, caseworker_a, device):
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"

    response = log_in(client, caseworker_a, otp_device=device.persistent_id, otp_token=wrong)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(ADMIN).status_code == 302


def test_a_correct_token_lets_staff_in(client, otp_on, caseworker_a, device):
    first = log_in(client, caseworker_a)  # the password step: the form then offers the device
    response = log_in(client, caseworker_a, otp_device=device.persistent_id, otp_token=current_token(device))

    assert 'name="otp_device"' in first.content.decode()
    assert response.status_code == 302
    assert response.url == ADMIN
    page = client.get(ADMIN)
    assert page.status_code == 200
    assert page.context["user"].is_verified()


def test_a_session_logged_in_without_a_device_cannot_reach_the_admin(client, otp_on, caseworker_a):
    """E.g. a staff member who logged in on the resident site with a password."""
    client.force_login(caseworker_a)

    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert client.get(response.url).status_code == 200  # the login page, asking for the token


def test_staff_without_a_device_cannot_log_in(client, otp_on, caseworker_a):
    response = log_in(client, caseworker_a, otp_token="123456")

    assert response.status_code == 200
    assert client.get(ADMIN).status_code == 302


def test_an_unconfirmed_device_does_not_count(client, otp_on, caseworker_a):
    device = TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=False)

    log_in(client, caseworker_a, otp_device=device.persistent_id, otp_token=current_token(device))

    assert client.get(ADMIN).status_code == 302


def test_with_the_setting_off_a_password_is_enough(client, settings, caseworker_a):
    settings.STAFF_OTP_REQUIRED = False

    form = client.get(LOGIN)
    response = log_in(client, caseworker_a)

    assert 'name="otp_token"' not in form.content.decode()
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_with_the_setting_off_an_unverified_session_works(client, settings, caseworker_a):
    settings.STAFF_OTP_REQUIRED = False
    client.force_login(caseworker_a)

    assert client.get(ADMIN).status_code == 200
