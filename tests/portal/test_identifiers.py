"""The one personal-identifier guard (portal.identifiers): what it refuses, what it lets through, masking."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.identifiers import (
    contains_identifier,
    find_identifiers,
    mask_identifiers,
    mask_value,
    refuse_identifiers,
)

# The forms a resident types: with the dash, without, with a space, and the foreigner number (5–8).
IDENTIFIERS = [
    pytest.param("900101-1234567", id="dash"),
    pytest.param("9001011234567", id="no-dash"),
    pytest.param("900101 1234567", id="space"),
    pytest.param("900101 - 2234567", id="spaced-dash"),
    pytest.param("050301-3234567", id="born-2000s"),
    pytest.param("900101-5234567", id="foreigner"),
    pytest.param("040229-8234567", id="foreigner-2000s-leap-day"),
]


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_an_identifier_in_a_sentence_is_refused_with_a_message_that_says_why(identifier):
    text = f"제 주민번호는 {identifier} 입니다"
    assert contains_identifier(text)
    assert find_identifiers(text) == [identifier]
    with pytest.raises(ValidationError) as refused:
        refuse_identifiers(text)
    assert refused.value.code == "personal_identifier"
    with translation.override("en"):
        assert "registration number" in refused.value.messages[0]
        assert "never needs it" in refused.value.messages[0]
    with translation.override("ko"):
        message = str(refused.value.message)
        assert "주민등록번호" in message and "외국인등록번호" in message
        assert "필요하지 않" in message


@pytest.mark.parametrize(
    "text",
    [
        "010-1234-5678",  # a mobile number
        "01012345678 2명",
        "9013011234567",  # month 13: nobody's birth date
        "900230-1234567",  # 30 February
        "900101-9234567",  # 9 is no sex/century digit Hana could meet
        "900101-0234567",
        "8801234567890",  # a Korean product barcode: read as a birth in 2088, which has not happened yet
        "12345678901234",  # a 14-digit run (an account number): never part of a longer number
        "HN-2026-000123",
        "2,392,013원, 2026-01-15",
        "",
    ],
)
def test_ordinary_numbers_are_not_refused(text):
    assert not contains_identifier(text)
    refuse_identifiers(text)  # no error
    assert mask_identifiers(text) == text


def test_the_guard_ignores_what_is_not_text():
    for value in (None, 9001011234567, ["900101-1234567"]):
        refuse_identifiers(value)  # lists are checked string by string by the caller


def test_masking_keeps_the_first_seven_digits_and_the_separator():
    assert mask_identifiers("제 주민번호는 900101-1234567 입니다") == "제 주민번호는 900101-1****** 입니다"
    assert mask_identifiers("9001011234567") == "9001011******"
    assert mask_identifiers("900101 5234567, 010-1234-5678") == "900101 5******, 010-1234-5678"
    assert mask_identifiers("a 900101-1234567 b 850505-2345678") == "a 900101-1****** b 850505-2******"
    assert not contains_identifier(mask_identifiers("900101-1234567"))


def test_masking_walks_json_answers():
    answers = {"1": "900101-1234567", "2": 42, "3": True, "4": ["x 9001011234567"], "5": "전세"}
    assert mask_value(answers) == {
        "1": "900101-1******",
        "2": 42,
        "3": True,
        "4": ["x 9001011******"],
        "5": "전세",
    }
