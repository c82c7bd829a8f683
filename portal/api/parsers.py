"""The API's JSON parser, bounded: a body nested deeper than MAX_JSON_DEPTH is refused before Python's
decoder recurses into it (10,000 levels raised RecursionError while DRF's CSRF check read the body: a 500).
The body's size is bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE, answered as a JSON 413
(portal.api.errors)."""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request the API documents nests more than a few levels (answers, windows): 64 leaves room.
MAX_JSON_DEPTH = 64

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)  # brackets inside strings do not nest
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text opens more than `limit` arrays/objects inside each other; stops at the first
    level past the limit, so a hostile body costs no more than a normal one of its size."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser, refusing (400, parse_error) a body nested more than MAX_JSON_DEPTH deep."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read()
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(
                _("The request body is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from None
        if nesting_exceeds(text):
            raise ParseError(
                _("The JSON body is nested more than %(limit)d levels deep.") % {"limit": MAX_JSON_DEPTH}
            )
        return super().parse(io.BytesIO(raw), media_type, parser_context)
