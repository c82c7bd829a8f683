"""Korean text is stored and searched composed (NFC), whichever keyboard typed it (portal.unicodetext)."""

from __future__ import annotations

import unicodedata

import pytest

from households.models import Household
from programs.models import Application, Program
from tests.factories import ApplicationFactory, ProgramFactory, ProgramQuestionFactory, UserFactory, login
from tests.households.test_household_api import valid_profile

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the test would prove nothing with text that has no jamo form
    return decomposed


def test_a_profile_sent_decomposed_over_the_api_is_stored_composed(client):
    login(client, UserFactory())

    response = client.put(
        "/api/v1/me/household/",
        valid_profile(name=nfd("김하나"), address_detail=nfd("관악로 1")),
        content_type="application/json",
    )

    assert response.status_code in (200, 201), response.content
    household = Household.objects.get()
    assert household.name == "김하나"
    assert household.address_detail == "관악로 1"
    assert response.json()["name"] == "김하나"


def test_answers_inside_json_are_stored_composed(db):
    program = ProgramFactory()
    question = ProgramQuestionFactory(program=program)
    application = ApplicationFactory(program=program, answers={question.field_name: nfd("혼자 살아요")})

    assert Application.objects.get(pk=application.pk).answers == {question.field_name: "혼자 살아요"}


def test_a_title_typed_decomposed_in_the_admin_is_found_by_a_composed_search(admin_client):
    ProgramFactory(title=nfd("놀다가 모임"))

    assert Program.objects.filter(title="놀다가 모임").exists()
    response = admin_client.get("/admin/programs/program/", {"q": "놀다가"})
    assert "놀다가 모임" in response.content.decode()


def test_a_decomposed_search_in_the_admin_finds_composed_titles(admin_client):
    ProgramFactory(title="놀다가 모임")

    response = admin_client.get("/admin/programs/program/", {"q": nfd("놀다가")})

    assert response.status_code == 200
    assert "놀다가 모임" in response.content.decode()
