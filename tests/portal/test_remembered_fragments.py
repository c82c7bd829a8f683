"""hana's {% remember %}: page chrome rendered once per process and key, never for what differs by user."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.models import Notification
from portal.templatetags import hana
from tests.factories import UserFactory, login

TEMPLATE = Template(
    '{% load hana %}{% remember enabled "t" key %}{{ calls.next }}|{{ key }}{% endremember %}'
)


class Counter:
    def __init__(self):
        self.count = 0

    @property
    def next(self) -> int:
        self.count += 1
        return self.count


@pytest.fixture(autouse=True)
def forget():
    hana._remembered.clear()
    yield
    hana._remembered.clear()


def render(enabled=True, key="a"):
    calls = Counter()
    return TEMPLATE.render(Context({"enabled": enabled, "key": key, "calls": calls})), calls.count


def test_rendered_once_per_key_and_language():
    assert render(key="a") == ("1|a", 1)
    assert render(key="a") == ("1|a", 0)  # remembered: the counter was not touched
    assert render(key="b") == ("1|b", 1)
    with translation.override("en"):
        assert render(key="a") == ("1|a", 1)


def test_disabled_or_debug_renders_every_time(settings):
    assert render(enabled=False) == ("1|a", 1)
    assert render(enabled=False) == ("1|a", 1)
    settings.DEBUG = True
    assert render() == ("1|a", 1)
    assert render() == ("1|a", 1)


@pytest.mark.django_db
def test_the_menu_is_remembered_for_visitors_only(client):
    assert 'href="/programs/" aria-current="page"' in client.get("/programs/").content.decode()
    home = client.get("/").content.decode()
    assert 'aria-current="page"' not in home[home.index('class="site-nav"') : home.index("</nav>")]

    user = UserFactory()
    login(client, user)
    assert "nav-count" not in client.get("/programs/").content.decode()
    Notification.objects.create(
        user=user, channel=Notification.Channel.IN_APP, template="locker.code_reissued", event_key="t"
    )
    page = client.get("/programs/").content.decode()
    assert "nav-count" in page and "csrfmiddlewaretoken" in page[page.index('class="site-nav"') :]
