"""`json.dumps(value, ensure_ascii=False, indent=...)`, byte for byte, at the C encoder's speed.

Python's json module uses its C encoder only without `indent`; an indented document goes through the
pure-Python one, which was about half of the open-data JSON download's time (500 programs x 29
columns). This writes the same layout itself and leaves each scalar to the C encoder's functions.
tests/portal/test_jsontext.py compares the two on awkward values.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

_encode_str = json.encoder.encode_basestring  # the C one when available; ensure_ascii=False's choice
_scalar = json.JSONEncoder(ensure_ascii=False)
_SCALARS = (str, int, float, bool, type(None))


@cache
def _flat(item_separator: str) -> json.JSONEncoder:
    """The C encoder, told to put a newline and the indentation between items: exactly the indented
    layout for a dict or list whose items are all scalars."""
    return json.JSONEncoder(ensure_ascii=False, separators=(item_separator, ": "))


def _all_scalars(items) -> bool:
    return all(isinstance(item, _SCALARS) for item in items)


def _write(value: Any, level: int, indent: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_encode_str(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + indent * (level + 1)
        if _all_scalars(value.values()) and all(type(key) is str for key in value):
            out.append("{" + inner + _flat("," + inner).encode(value)[1:-1] + "\n" + indent * level + "}")
            return
        out.append("{")
        first = True
        for key, item in value.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(_encode_str(key) if isinstance(key, str) else _scalar.encode(str(key)))
            out.append(": ")
            _write(item, level + 1, indent, out)
        out.append("\n" + indent * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = "\n" + indent * (level + 1)
        if _all_scalars(value):
            out.append("[" + inner + _flat("," + inner).encode(value)[1:-1] + "\n" + indent * level + "]")
            return
        out.append("[")
        first = True
        for item in value:
            out.append(inner if first else "," + inner)
            first = False
            _write(item, level + 1, indent, out)
        out.append("\n" + indent * level + "]")
    else:  # floats, int subclasses, anything else: the encoder's own rendering
        out.append(_scalar.encode(value))


def dumps_indented(value: Any, indent: int = 1) -> str:
    """What `json.dumps(value, ensure_ascii=False, indent=indent)` returns, for JSON-native values
    whose dict keys are strings."""
    out: list[str] = []
    _write(value, 0, " " * indent, out)
    return "".join(out)
