"""Bilingual content stored as `<field>` (Korean) and `<field>_en` (English) column pairs."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "ko").startswith("en")


def localized(obj: object, field: str) -> str:
    """The English column when the page is in English and it is filled in, else the Korean one."""
    if is_english():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)
