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
    districts = list(
        District.objects.select_related("city").only("code", "name", "name_en", "city__name", "city__name_en")
    )
    choices = labelled_districts(districts)
    if key is not None:
        if not any(token == key[1] for _language, token in _districts):
            _districts.clear()  # an older version's lists are dead
        _districts[key] = choices
    return choices


def forget_choices() -> None:
    """Drop what this process remembers (tests start from an empty memory)."""
    _districts.clear()


def labelled_districts(districts: list[District]) -> list[tuple[str, str]]:
    """(code, label) with the city before a name that more than one city has: 중구 is a district of
    Seoul, Busan, Daegu, Incheon, Daejeon and Ulsan, and a list of six 중구 cannot be chosen from."""
    names = [str(district) for district in districts]
    shared = {name for name in names if names.count(name) > 1}
    return [
        (district.code, district.full_name if name in shared else name)
        for district, name in zip(districts, names, strict=True)
    ]
