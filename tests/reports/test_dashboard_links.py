"""Managers reach the dashboard and exports from every admin page; other staff only the exports."""

import pytest


@pytest.mark.django_db
def test_managers_see_the_dashboard_link_in_the_admin(client, manager_a, city_admin, caseworker_a):
    for user in (manager_a, city_admin):
        client.force_login(user)
        assert 'href="/reports/dashboard/"' in client.get("/admin/").content.decode()
        assert 'href="/reports/exports/"' in client.get("/admin/").content.decode()
    client.force_login(caseworker_a)
    page = client.get("/admin/").content.decode()
    assert "/reports/dashboard/" not in page
    assert 'href="/reports/exports/"' in page  # caseworkers export what they may view


def test_the_export_files_are_expired_by_the_nightly_retention_job(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # The nightly retention job, whose "exports" class expires them (tests/reports/test_retention_exports.py).
    assert "portal.tasks.run_retention" in tasks
