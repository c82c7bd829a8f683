"""Korean is the default language: every string must be translated, and the shipped .mo must match
the .po (a fresh clone runs without GNU gettext, so the compiled catalogue is committed)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES"


def _po_entries() -> list[dict[str, str]]:
    """A minimal .po reader: enough for msgid / msgid_plural / msgstr / msgstr[n] and #, flags."""
    entries, current, key = [], {}, None
    for raw in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, key = {}, None
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]  # the header has an empty msgid


ENTRIES = _po_entries()


def test_catalogue_has_entries():
    assert len(ENTRIES) > 300


def test_every_string_is_translated_with_its_placeholders():
    problems = []
    for entry in ENTRIES:
        translations = [v for k, v in entry.items() if k.startswith("msgstr")]
        if "fuzzy" in entry.get("flags", "") or not translations or not all(translations):
            problems.append(("untranslated", entry["msgid"]))
            continue
        allowed = set(re.findall(r"%\(\w+\)s", entry["msgid"] + entry.get("msgid_plural", "")))
        if any(not set(re.findall(r"%\(\w+\)s", text)) <= allowed for text in translations):
            problems.append(("placeholder", entry["msgid"]))
    assert not problems, problems[:10]


def test_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in ENTRIES:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            got = compiled.pgettext(entry["msgctxt"], msgid)
        elif "msgid_plural" in entry:
            got = compiled.ngettext(msgid, entry["msgid_plural"], 1)
        else:
            got = compiled.gettext(msgid)
        expected = entry.get("msgstr", entry.get("msgstr[0]"))
        if got != expected:
            stale.append(msgid)
    assert not stale, f"run `make messages`: the .mo is older than the .po for {stale[:5]}"
