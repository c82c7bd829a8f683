"""Choice lists that public pages show on every request, remembered per process.

The catalog's district filter lists every district (39 rows). Reading and rendering them per request
was a query and 39 model instances each time, for reference data that changes with a deployment or,
rarely, a city admin's edit. Each process keeps the list per language and per content version of the
shared page cache (portal.pagecache), which every city or district change bumps: the next request of
every process after a change reads the table again, so a page rendered after the change and cached for
everyone never shows an old name. With the shared cache unreachable there is no version and the list is
read each time.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from . import pagecache
from .models import District

_districts: dict[tuple[str, str], list[tuple[str, str]]] = {}


def district_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of every district, in code order."""
    language = get_language() or settings.LANGUAGE_CODE
    version = pagecache.current_version()
    key = (language, version.token) if version is not None else None
    if key is not None and key in _districts:
        return _districts[key]
    choices = [(d.code, str(d)) for d in District.objects.only("code", "name", "name_en")]
    if key is not None:
        if not any(token == key[1] for _language, token in _districts):
            _districts.clear()  # an older version's lists are dead
        _districts[key] = choices
    return choices


def forget_choices() -> None:
    """Drop what this process remembers (tests start from an empty memory)."""
    _districts.clear()
