"""Login lockout (django-axes) per account and per address, each on its own, with the client address
taken from TRUSTED_PROXY_COUNT; while locked, the right password is answered exactly like a wrong one."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("households:login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def _axes(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 0


def attempt(client, email: str, password: str, *, ip: str, xff: str | None = None, url: str = LOGIN):
    extra = {"REMOTE_ADDR": ip}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    # The residents' form (allauth) names the email "login", the admin's "username".
    field = "username" if url == ADMIN_LOGIN else "login"
    return client.post(url, {field: email, "password": password}, **extra)


def page(response) -> str:
    """The body without its per-render CSRF token, the one part that differs from render to render."""
    body = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def logged_in(client) -> bool:
    return client.session.get("_auth_user_id") is not None


def test_failures_from_many_addresses_lock_the_account(client, settings):
    UserFactory(email="target@example.kr")

    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"):
        for _ in range(4):  # below the per-address limit: only the account's count can lock
            attempt(client, "target@example.kr", "wrong-password-1", ip=address)

    right = attempt(client, "target@example.kr", PASSWORD, ip="198.51.100.5")
    wrong = attempt(client, "target@example.kr", "wrong-password-2", ip="198.51.100.6")

    assert not logged_in(client)
    assert right.status_code == wrong.status_code == settings.AXES_HTTP_RESPONSE_CODE
    # The lock tells an attacker nothing about which guess was right.
    assert page(right) == page(wrong)
    assert AccessAttempt.objects.filter(username="target@example.kr").exists()
    assert not AccessAttempt.objects.filter(username__in=["", None]).exists()


def test_the_account_is_counted_whatever_the_case_of_the_email(client, settings):
    UserFactory(email="target@example.kr")

    for index in range(settings.AXES_FAILURE_LIMIT):
        email = "Target@Example.KR" if index % 2 else "target@example.kr"
        attempt(client, email, "wrong-password-1", ip=f"198.51.100.{index + 1}")

    response = attempt(client, "target@example.kr", PASSWORD, ip="198.51.100.99")

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert not logged_in(client)


def test_the_admin_login_shares_the_accounts_count(client, settings, caseworker_a):
    for index in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, caseworker_a.email, "wrong-password-1", ip=f"198.51.100.{index + 1}", url=ADMIN_LOGIN)

    response = attempt(client, caseworker_a.email, PASSWORD, ip="198.51.100.99", url=ADMIN_LOGIN)

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert not logged_in(client)


def test_failures_from_one_address_lock_that_address_only(client, settings):
    victim = UserFactory(email="victim@example.kr")
    for index in range(settings.AXES_FAILURE_LIMIT):  # a different account each time
        attempt(client, f"guess{index}@example.kr", "wrong-password-1", ip="203.0.113.66")

    from_attacker = attempt(client, victim.email, PASSWORD, ip="203.0.113.66")
    assert from_attacker.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert not logged_in(client)

    from_elsewhere = attempt(client, victim.email, PASSWORD, ip="203.0.113.7")
    assert from_elsewhere.status_code == 302
    assert logged_in(client)


def test_behind_one_proxy_each_forwarded_client_is_counted_on_its_own(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    user = UserFactory(email="resident@example.kr")
    # Many clients fail behind the same proxy, each below the limit, on accounts of their own.
    for client_number in range(1, 6):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            attempt(
                client,
                f"other{client_number}@example.kr",
                "wrong-password-1",
                ip=proxy,
                xff=f"203.0.113.{client_number}",
            )

    # Whatever the client writes to the left of the proxy's entry is not believed.
    response = attempt(client, user.email, PASSWORD, ip=proxy, xff="198.51.100.200, 203.0.113.77")

    assert response.status_code == 302
    assert logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        f"203.0.113.{n}" for n in range(1, 6)
    }


def test_behind_one_proxy_a_client_that_fails_too_often_is_locked(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for index in range(settings.AXES_FAILURE_LIMIT):
        attempt(
            client, f"guess{index}@example.kr", "x" * 12, ip="10.0.0.2", xff=f"1.2.3.{index}, 203.0.113.9"
        )
    user = UserFactory(email="resident@example.kr")

    response = attempt(client, user.email, PASSWORD, ip="10.0.0.2", xff="203.0.113.9")

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_count(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory(email="resident@example.kr")
    for index in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{index}@example.kr", "x" * 12, ip="203.0.113.66", xff=f"198.51.100.{index}")

    response = attempt(client, user.email, PASSWORD, ip="203.0.113.66", xff="198.51.100.250")

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert not logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
