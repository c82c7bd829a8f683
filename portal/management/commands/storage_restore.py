"""`manage.py storage_restore DIR`: put the files of a storage_backup directory back into the storage."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, storage_restore


class Command(BaseCommand):
    help = (
        "Check every file of a backup directory against its manifest, then store each one under its "
        "own name in the default storage (local files or the S3 bucket)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            summary = storage_restore(source=directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary.files} files ({summary.bytes} bytes); "
            f"{summary.skipped} were already stored unchanged."
        )
