"""Managers reach the dashboard from every admin page; other staff are not shown a link they cannot open."""

import pytest


@pytest.mark.django_db
def test_managers_see_the_dashboard_link_in_the_admin(client, manager_a, city_admin, caseworker_a):
    for user in (manager_a, city_admin):
        client.force_login(user)
        assert 'href="/reports/dashboard/"' in client.get("/admin/").content.decode()
    client.force_login(caseworker_a)
    assert "/reports/dashboard/" not in client.get("/admin/").content.decode()
