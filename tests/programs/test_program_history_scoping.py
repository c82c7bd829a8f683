"""The programs admin's history pages (django-simple-history) must respect district scoping too.

Known bug, reported: ProgramAdmin (and CriterionGroupAdmin) use SimpleHistoryAdmin as it is. Its history
page falls back to the latest historical record when get_queryset() does not hold the object, and its
per-version page never consults get_queryset() and saves a POSTed form. portal.admin_tools'
ScopedHistoryMixin (used by ApplicationAdmin) closes both.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import GWANAK, JUNGGU, ProgramFactory, district, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def junggu_program():
    return ProgramFactory(title="중구 어르신 돌봄", district=district(JUNGGU))


def test_another_districts_program_history_is_not_shown(client, program_manager_a, junggu_program):
    response = login(client, program_manager_a).get(
        reverse("admin:programs_program_history", args=[junggu_program.pk])
    )

    assert "중구 어르신 돌봄" not in response.content.decode()


def test_another_districts_program_cannot_be_changed_through_its_history_page(
    client, program_manager_a, junggu_program
):
    login(client, program_manager_a)
    url = reverse(
        "admin:programs_program_simple_history",
        args=[junggu_program.pk, junggu_program.history.latest().history_id],
    )
    page = client.get(url)
    assert page.status_code == 302  # "doesn't exist", like the change page of a row out of scope
    data = {
        "title": "관악구가 가져감",
        "district": str(district(GWANAK).pk),
        "city": str(district(GWANAK).city_id),
    }

    client.post(url, data)

    junggu_program.refresh_from_db()
    assert junggu_program.title == "중구 어르신 돌봄"
    assert junggu_program.district == district(JUNGGU)
