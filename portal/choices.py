"""Choice lists that public pages show on every request, remembered per process.

The catalog's district filter lists every district (39 rows). Reading and rendering them per request
was a query and 39 model instances each time, for reference data that changes with a deployment or,
rarely, a city admin's edit. Each process keeps the list per language for CHOICES_TTL seconds, and a
change saved through the ORM (admin, load_demo) clears it at once in the process that saved it; the
other processes follow within CHOICES_TTL. Choosing a district still reads the database (the filter
validates the code against the table), so a stale list can only show an old name for that minute.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.translation import get_language

from .models import District

CHOICES_TTL = 60.0  # seconds
_districts: dict[str, tuple[float, list[tuple[str, str]]]] = {}


def district_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of every district, in code order."""
    language = get_language() or settings.LANGUAGE_CODE
    now = time.monotonic()
    remembered = _districts.get(language)
    if remembered is not None and now - remembered[0] < CHOICES_TTL:
        return remembered[1]
    districts = District.objects.only("code", "name", "name_en")
    choices = [(district.code, str(district)) for district in districts]
    _districts[language] = (now, choices)
    return choices


def forget_choices(**kwargs) -> None:
    """Signal receiver (portal.apps): a city or district was saved or deleted."""
    _districts.clear()
