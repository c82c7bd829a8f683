"""Crisis phrases in an intake: compared after NFC normalisation, case-folded and with every space
removed, so "죽고  싶" and a decomposed "자살" (NFD, as some phones send it) match as well."""

from __future__ import annotations

import re

from django.conf import settings

from portal.unicodetext import nfc

_SPACES = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACES.sub("", nfc(text or "")).casefold()


def signals_crisis(*texts: str) -> bool:
    joined = "".join(_squash(text) for text in texts)
    return any(phrase and phrase in joined for phrase in (_squash(p) for p in settings.CARE_CRISIS_PHRASES))
