"""portal.jsontext.dumps_indented is json.dumps(ensure_ascii=False, indent=n), byte for byte."""

from __future__ import annotations

import json

import pytest

from portal.jsontext import dumps_indented

AWKWARD = {
    "name": "hana-programs",
    "한글 키": '따옴표 " 역슬래시 \\ 줄바꿈 \n 탭 \t 제어 \x01 이모지 🙂 </script>',
    "empty_list": [],
    "empty_dict": {},
    "numbers": [0, -1, 2**70, 1.5, float("1e-7"), True, False, None],
    "nested": [{"a": [1, {"b": []}], "c": {"d": None}}, [], [[]]],
    "rows": [{"ID": 1, "서비스명": "청년 <모임> & 클래스", "모집인원": None}],
}


@pytest.mark.parametrize("indent", [1, 2, 4])
def test_same_text_as_json_dumps(indent):
    assert dumps_indented(AWKWARD, indent=indent) == json.dumps(AWKWARD, ensure_ascii=False, indent=indent)


@pytest.mark.parametrize("value", [[], {}, "x", None, 3, [None], {"k": {}}])
def test_small_values(value):
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=1)
