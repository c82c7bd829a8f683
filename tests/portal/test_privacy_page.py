"""The privacy page lists the retention periods from the retention table, in Korean and English."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_privacy_page_lists_every_period_in_korean(client, settings):
    settings.RETENTION_NOTIFICATIONS_DAYS = 200
    settings.RETENTION_AUDIT_DAYS = 3 * 365

    page = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="ko")

    assert page.status_code == 200
    text = page.content.decode()
    assert "보관 기간" in text
    assert "200일" in text  # notifications: from the setting
    assert "3년" in text  # the audit log
    assert "익명" in text  # dormant accounts are anonymised


def test_the_privacy_page_in_english(client, settings):
    settings.RETENTION_PARCELS_DAYS = 45
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = client.get(reverse("privacy")).content.decode()

    assert "How long we keep your data" in text
    assert "45 days" in text
    assert "3 years" in text
    assert "Documents uploaded with an application that was not approved" in text


def test_every_page_links_to_it(client):
    assert f'href="{reverse("privacy")}"' in client.get("/").content.decode()
