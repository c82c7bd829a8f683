"""One cleaner per question kind (programs.answers): the web form and the API accept and refuse the same
answers, with the same messages and the same limits."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from programs.answers import DECIMAL_PLACES, MAX_DIGITS, MAX_TEXT_LENGTH
from programs.api.serializers import clean_answers
from programs.forms import ApplicationAnswersForm
from programs.models import QuestionKind
from tests.factories import ProgramFactory, ProgramQuestionFactory

pytestmark = pytest.mark.django_db
K = QuestionKind
WHOLE = MAX_DIGITS - DECIMAL_PLACES  # digits before the decimal point


@pytest.fixture
def program():
    return ProgramFactory(selection_method="review")


def question(program, kind):
    extra = {"choices": ["오전", "오후"]} if kind == K.CHOICE else {}
    return ProgramQuestionFactory(program=program, kind=kind, **extra)


def web(question, typed: str) -> tuple[bool, list[str], object]:
    """What the web form makes of `typed`: (accepted, messages, stored value)."""
    form = ApplicationAnswersForm({question.field_name: typed}, questions=[question], drafting=True)
    form.is_valid()
    messages = list(form.errors.get(question.field_name, []))
    stored = form.merged_answers({}).get(question.field_name)
    return not messages, messages, stored


def api(question, value) -> tuple[bool, list[str], object]:
    """What the API makes of the JSON `value`: (accepted, messages, stored value)."""
    try:
        cleaned = clean_answers(question.program, {question.field_name: value})
    except serializers.ValidationError as error:
        return False, [str(m) for m in error.detail[f"answers.{question.field_name}"]], None
    return True, [], cleaned[question.field_name]


# (kind, as typed on the web page, as sent to the API, accepted, stored)
CASES = [
    pytest.param(
        K.TEXT, "가" * MAX_TEXT_LENGTH, "가" * MAX_TEXT_LENGTH, True, "가" * 2000, id="text-at-limit"
    ),
    pytest.param(
        K.TEXT, "가" * (MAX_TEXT_LENGTH + 1), "가" * (MAX_TEXT_LENGTH + 1), False, None, id="text-over"
    ),
    pytest.param(K.TEXT, "  둘 다 다듬음  ", "  둘 다 다듬음  ", True, "둘 다 다듬음", id="text-stripped"),
    pytest.param(K.NUMBER, "9" * WHOLE, int("9" * WHOLE), True, int("9" * 13), id="number-13-digits"),
    pytest.param(K.NUMBER, "9" * (WHOLE + 1), int("9" * (WHOLE + 1)), False, None, id="number-14"),
    pytest.param(K.NUMBER, "1,234,567.89", 1234567.89, True, 1234567.89, id="number-typed-with-commas"),
    pytest.param(K.NUMBER, "1e16", 1e16, False, None, id="number-exponent-too-big"),
    pytest.param(K.NUMBER, "1.25", 1.25, True, 1.25, id="number-2-decimals"),
    pytest.param(K.NUMBER, "1.255", 1.255, False, None, id="number-3-decimals"),
    pytest.param(K.NUMBER, "3.0", 3.0, True, 3, id="number-whole-stored-as-int"),
    pytest.param(K.DATE, "2026-03-01", "2026-03-01", True, "2026-03-01", id="date"),
    pytest.param(K.DATE, "2026-02-30", "2026-02-30", False, None, id="date-impossible"),
    pytest.param(K.CHOICE, "오후", "오후", True, "오후", id="choice"),
    pytest.param(K.CHOICE, "밤", "밤", False, None, id="choice-unknown"),
    pytest.param(K.YES_NO, "maybe", "maybe", False, None, id="yes-no-neither"),
]


@pytest.mark.parametrize(("kind", "typed", "sent", "accepted", "stored"), CASES)
def test_web_and_api_accept_and_refuse_alike(program, kind, typed, sent, accepted, stored):
    asked = question(program, kind)

    with translation.override("en"):
        web_ok, web_messages, web_stored = web(asked, typed)
        api_ok, api_messages, api_stored = api(asked, sent)

    assert web_ok is api_ok is accepted, (web_messages, api_messages)
    assert web_messages == api_messages
    if accepted:
        assert web_stored == api_stored == stored
        assert type(web_stored) is type(api_stored)


def test_the_refusals_say_what_the_limit_is(program):
    with translation.override("en"):
        _ok, text, _ = api(question(program, K.TEXT), "가" * (MAX_TEXT_LENGTH + 1))
        _ok, digits, _ = web(question(program, K.NUMBER), "9" * (WHOLE + 1))
        _ok, decimals, _ = web(question(program, K.NUMBER), "0.125")

    assert text == [f"Keep the answer under {MAX_TEXT_LENGTH} characters."]
    assert digits == [f"Ensure that there are no more than {WHOLE} digits before the decimal point."]
    assert decimals == [f"Ensure that there are no more than {DECIMAL_PLACES} decimal places."]


def test_the_same_long_answer_is_refused_on_the_page_and_through_the_api(resident_client, program):
    asked = question(program, K.TEXT)
    too_long = "가" * (MAX_TEXT_LENGTH + 1)
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = resident_client.post(
        reverse("programs:apply", args=[program.pk]), {asked.field_name: too_long, "action": "draft"}
    )
    response = resident_client.post(
        "/api/v1/applications/drafts/",
        json.dumps({"program": program.pk, "answers": {asked.field_name: too_long}}),
        content_type="application/json",
    )

    message = f"Keep the answer under {MAX_TEXT_LENGTH} characters."
    assert page.status_code == 200 and message in page.content.decode()
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {f"answers.{asked.field_name}": [message]}
