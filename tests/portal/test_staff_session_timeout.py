"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request; residents' do not.

No clock library: the last-activity time the middleware keeps in the session is moved back instead.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from portal.staff_session import SESSION_KEY

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
LOGIN = reverse("admin:login")
KEEPALIVE = reverse("admin-keepalive")
MINUTE = 60


@pytest.fixture
def staff_client(client, caseworker_a):
    client.force_login(caseworker_a)
    return client


def idle_for(client, seconds: int) -> int:
    """Pretend the client's last request was `seconds` ago; returns that time."""
    session = client.session
    then = int(time.time()) - seconds
    session[SESSION_KEY] = then
    session.save()
    return then


def logged_in(client) -> bool:
    return AUTH_SESSION_KEY in client.session


def test_the_clock_starts_at_login(client, caseworker_a):
    before = int(time.time())

    client.force_login(caseworker_a)

    assert client.session[SESSION_KEY] >= before


def test_a_session_without_a_clock_gets_one(staff_client):
    session = staff_client.session
    del session[SESSION_KEY]  # e.g. a session older than this feature
    session.save()
    before = int(time.time())

    assert staff_client.get(ADMIN).status_code == 200

    assert staff_client.session[SESSION_KEY] >= before


def test_idle_past_the_limit_logs_out_and_redirects_to_the_admin_login(staff_client):
    idle_for(staff_client, 30 * MINUTE + 5)

    response = staff_client.get(ADMIN + "programs/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={ADMIN}programs/"
    assert not logged_in(staff_client)
    login_page = staff_client.get(response.url)
    assert login_page.status_code == 200
    assert "messagelist" in login_page.content.decode()  # why they were logged out


def test_the_logout_message_is_shown_once(staff_client):
    idle_for(staff_client, 31 * MINUTE)

    response = staff_client.get(ADMIN, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "30" in messages[0]
    assert list(staff_client.get(LOGIN).context["messages"]) == []


def test_active_staff_stay_logged_in(staff_client):
    then = idle_for(staff_client, 29 * MINUTE)

    assert staff_client.get(ADMIN).status_code == 200

    assert logged_in(staff_client)
    assert staff_client.session[SESSION_KEY] > then  # the clock restarted


def test_the_clock_is_written_at_most_once_a_minute(staff_client):
    then = idle_for(staff_client, 10)

    staff_client.get(ADMIN)

    assert staff_client.session[SESSION_KEY] == then


def test_the_limit_comes_from_the_setting(staff_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    idle_for(staff_client, 6 * MINUTE)

    assert staff_client.get(ADMIN).status_code == 302
    assert not logged_in(staff_client)


def test_residents_are_never_logged_out_by_it(resident_client):
    idle_for(resident_client, 24 * 60 * MINUTE)

    response = resident_client.get(reverse("households:profile"))

    assert response.status_code == 200
    assert logged_in(resident_client)
    assert resident_client.session[SESSION_KEY] <= int(time.time()) - 24 * 60 * MINUTE  # untouched


def test_residents_get_no_clock(resident_client):
    resident_client.get(reverse("households:profile"))

    assert SESSION_KEY not in resident_client.session


# --- keepalive -----------------------------------------------------------------------------------------


def test_keepalive_restarts_the_clock(staff_client):
    then = idle_for(staff_client, 20)  # within the minute the middleware would not rewrite

    response = staff_client.post(KEEPALIVE)

    assert response.status_code == 204
    assert staff_client.session[SESSION_KEY] > then


def test_keepalive_needs_csrf(caseworker_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker_a)

    assert client.post(KEEPALIVE).status_code == 403

    page = client.get(ADMIN)  # the admin page hands out the token the script sends
    token = page.context["csrf_token"]
    assert client.post(KEEPALIVE, headers={"X-CSRFToken": str(token)}).status_code == 204


def test_keepalive_is_post_only(staff_client):
    assert staff_client.get(KEEPALIVE).status_code == 405


def test_keepalive_is_refused_to_residents(resident_client):
    response = resident_client.post(KEEPALIVE)

    assert response.status_code == 403
    assert SESSION_KEY not in resident_client.session


def test_keepalive_is_refused_to_visitors(client):
    assert client.post(KEEPALIVE).status_code == 403


def test_keepalive_cannot_revive_an_expired_session(staff_client):
    idle_for(staff_client, 31 * MINUTE)

    response = staff_client.post(KEEPALIVE)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert not logged_in(staff_client)


# --- the warning banner --------------------------------------------------------------------------------


def test_admin_pages_carry_the_warning_script(staff_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 20
    idle_for(staff_client, 30)

    html = staff_client.get(ADMIN).content.decode()

    assert 'src="/static/admin_session.js"' in html
    assert 'data-idle-seconds="1200"' in html
    assert 'data-remaining-seconds="11' in html  # 1200 − 30, give or take the test's own second
    assert f'data-keepalive-url="{KEEPALIVE}"' in html
    assert "data-csrf-token=" in html
    assert "data-button-text=" in html
    assert 'id="site-name"' in html  # the branding block is kept


def test_the_login_page_has_no_warning_script(client):
    html = client.get(LOGIN).content.decode()

    assert "admin_session.js" not in html


def test_the_script_is_served_locally_and_announces_the_warning():
    path = finders.find("admin_session.js")

    assert path is not None
    source = Path(path).read_text(encoding="utf-8")
    assert 'setAttribute("role", "alert")' in source
    assert "dataset" in source
    assert "http://" not in source and "https://" not in source  # no CDN, nothing remote
