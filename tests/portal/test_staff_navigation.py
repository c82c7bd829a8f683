"""Staff get a staff menu on the portal's pages (found in the browser: a manager's dashboard showed the
resident's menu and no way to the exports)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory, login

pytestmark = pytest.mark.django_db


def menu(client) -> str:
    page = client.get(reverse("programs:catalog")).content.decode()
    return page[page.index('<nav class="site-nav"') : page.index("</nav>")]


def test_a_manager_sees_the_dashboard_reports_exports_and_the_admin(client, manager_a):
    nav = menu(login(client, manager_a))
    for url in (
        reverse("dashboard:index"),
        reverse("performance:list"),
        reverse("exports:form"),
        reverse("admin:index"),
    ):
        assert f'href="{url}"' in nav
    assert reverse("programs:application_list") not in nav and reverse("safety:offer") not in nav


def test_the_dashboard_page_carries_the_staff_menu(client, manager_a):
    page = login(client, manager_a).get(reverse("dashboard:index")).content.decode()
    nav = page[page.index('<nav class="site-nav"') : page.index("</nav>")]
    assert reverse("exports:form") in nav and 'aria-current="page"' in nav


def test_a_caseworker_sees_exports_and_the_admin_but_no_dashboard(client, caseworker_a):
    nav = menu(login(client, caseworker_a))
    assert reverse("exports:form") in nav and reverse("admin:index") in nav
    assert reverse("dashboard:index") not in nav


def test_a_resident_keeps_the_residents_menu(client):
    nav = menu(login(client, HouseholdFactory().user))
    assert reverse("programs:application_list") in nav
    assert reverse("exports:form") not in nav and reverse("admin:index") not in nav
