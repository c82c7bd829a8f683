"""Program managers define a program's application questions on the program page (an inline)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import ProgramQuestion
from tests.factories import GWANAK, ProgramFactory, ProgramQuestionFactory, district, login

pytestmark = pytest.mark.django_db


def change_url(program) -> str:
    return reverse("admin:programs_program_change", args=[program.pk])


def form_data(response) -> dict:
    """The POST an unchanged change form would send: the main form and every inline formset."""
    data: dict = {}

    def add(bound) -> None:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)

    for bound in response.context["adminform"].form:
        add(bound)
    for inline in response.context["inline_admin_formsets"]:
        for bound in inline.formset.management_form:
            add(bound)
        for form in inline.formset.forms:
            for bound in form:
                add(bound)
    return data


@pytest.fixture
def manager_client(client, program_manager_a):
    return login(client, program_manager_a)


@pytest.fixture
def program():
    return ProgramFactory(title="관악 청년 소셜다이닝", district=district(GWANAK))


def with_question(client, program, **fields) -> dict:
    data = form_data(client.get(change_url(program)))
    total = int(data["questions-TOTAL_FORMS"])
    defaults = {"position": "1", "kind": "text", "label": "희망 활동", "required": "on", "choices": ""}
    for name, value in {**defaults, **fields}.items():
        data[f"questions-{total}-{name}"] = value
    data["questions-TOTAL_FORMS"] = str(total + 1)
    return data


def test_program_page_lists_its_questions(manager_client, program):
    ProgramQuestionFactory(program=program, label="희망 시간대", kind="choice", choices=["오전", "오후"])

    page = manager_client.get(change_url(program)).content.decode()

    assert "희망 시간대" in page
    assert "questions-TOTAL_FORMS" in page


def test_manager_adds_a_choice_question(manager_client, program):
    data = with_question(
        manager_client, program, kind="choice", label="희망 시간대", choices='["오전", "오후"]'
    )

    response = manager_client.post(change_url(program), data)

    assert response.status_code == 302
    question = ProgramQuestion.objects.get(program=program)
    assert question.kind == "choice"
    assert question.choices == ["오전", "오후"]


def test_a_question_without_choices_stores_an_empty_list(manager_client, program):
    response = manager_client.post(change_url(program), with_question(manager_client, program, kind="number"))

    assert response.status_code == 302
    assert ProgramQuestion.objects.get(program=program).choices == []


@pytest.mark.parametrize(
    "choices",
    ["", "[]", '"오전"', '{"a": "오전"}', "[1, 2]", '["오전", ""]', '["오전", "오전"]', "not json"],
    ids=[
        "empty",
        "empty-list",
        "a-string",
        "an-object",
        "numbers",
        "a-blank-choice",
        "duplicates",
        "bad-json",
    ],
)
def test_a_choice_question_needs_a_list_of_distinct_texts(manager_client, program, choices):
    data = with_question(manager_client, program, kind="choice", choices=choices)

    response = manager_client.post(change_url(program), data)

    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "questions"
    )
    assert formset.forms[-1].errors["choices"]
    assert not ProgramQuestion.objects.exists()


def test_only_a_choice_question_takes_choices(manager_client, program):
    data = with_question(manager_client, program, kind="text", choices='["오전"]')

    response = manager_client.post(change_url(program), data)

    assert response.status_code == 200
    assert not ProgramQuestion.objects.exists()
