"""``manage.py load_demo``: reference data, demo programs and one account per role (idempotent)."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, load_demo
from programs.models import Program


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Load demo programs and demo accounts (safe to run again: nothing is duplicated)."

    def handle(self, *args, **options) -> None:
        rows = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded: {Program.objects.published().count()} published programs.")
        )
        columns = ["email", "password", "role", "district"]
        widths = {c: max(_width(c), *(_width(row[c]) for row in rows)) for c in columns}
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        self.stdout.write("  ".join(_pad(c, widths[c]) for c in columns).rstrip())
        self.stdout.write("  ".join("-" * widths[c] for c in columns))
        for row in rows:
            self.stdout.write("  ".join(_pad(row[c], widths[c]) for c in columns).rstrip())
