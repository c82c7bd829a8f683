"""`manage.py retention [--dry-run] [--only KEY]`: run the retention job now (beat runs it nightly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.retention import data_classes, retention_run


class Command(BaseCommand):
    help = "Prune personal data past its retention period (portal/retention.py); --dry-run only counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")
        parser.add_argument(
            "--only", action="append", metavar="KEY", help="Only this class (repeatable), e.g. notifications."
        )

    def handle(self, *args, dry_run: bool, only: list[str] | None, **options):
        known = {c.key: c for c in data_classes()}
        unknown = sorted(set(only or []) - known.keys())
        if unknown:
            raise CommandError(f"Unknown class {', '.join(unknown)}; known: {', '.join(known)}")
        counts = retention_run(dry_run=dry_run, only=only)
        verb = "due" if dry_run else "pruned"
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count} {verb} (kept {known[key].days} days)")
