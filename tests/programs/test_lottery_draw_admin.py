"""Lottery draws in the admin: read-only, and only for programs the staff member may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import LotteryDraw
from tests.factories import GWANAK, JUNGGU, ProgramFactory, district, login

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_lotterydraw_changelist")


def draw(program, seed="seed") -> LotteryDraw:
    return LotteryDraw.objects.create(program=program, seed=seed, entrants=3, approved=1, order=[3, 1, 2])


@pytest.fixture
def draws():
    seoul = district(GWANAK).city
    return {
        "gwanak": draw(ProgramFactory(title="관악 청년 추첨", district=district(GWANAK)), seed="gwanak-seed"),
        "seoul": draw(ProgramFactory(title="서울시 추첨", district=None, city=seoul), seed="seoul-seed"),
        "junggu": draw(ProgramFactory(title="중구 추첨", district=district(JUNGGU)), seed="junggu-seed"),
    }


@pytest.fixture
def manager_client(client, program_manager_a):
    return login(client, program_manager_a)


def test_lists_draws_of_visible_programs_only(manager_client, draws):
    response = manager_client.get(CHANGELIST)

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {draws["gwanak"], draws["seoul"]}
    assert "중구 추첨" not in response.content.decode()
    assert "junggu-seed" not in response.content.decode()


def test_a_draw_is_read_only(manager_client, draws):
    url = reverse("admin:programs_lotterydraw_change", args=[draws["gwanak"].pk])

    page = manager_client.get(url)
    response = manager_client.post(url, {"seed": "changed"})

    assert page.status_code == 200
    assert "gwanak-seed" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    draws["gwanak"].refresh_from_db()
    assert draws["gwanak"].seed == "gwanak-seed"
    assert manager_client.get(reverse("admin:programs_lotterydraw_add")).status_code == 403


def test_another_districts_draw_is_not_shown(manager_client, draws):
    response = manager_client.get(reverse("admin:programs_lotterydraw_change", args=[draws["junggu"].pk]))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_caseworkers_have_no_lottery_page(client, caseworker_a, draws):
    assert login(client, caseworker_a).get(CHANGELIST).status_code == 403
