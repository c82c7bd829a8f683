"""`manage.py storage_backup DIR`: copy every stored file (local or S3) into DIR/files, with a manifest."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import MANIFEST, BackupError, storage_backup


class Command(BaseCommand):
    help = "Copy every file of the default storage (local files or the S3 bucket) into DIR/files."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--exclude",
            action="append",
            default=[],
            metavar="PREFIX",
            help="Leave out names starting with PREFIX (repeatable), e.g. exports/.",
        )

    def handle(self, *args, directory: Path, exclude: list[str], **options):
        try:
            summary = storage_backup(target=directory, exclude=exclude)
        except FileExistsError as exc:
            raise CommandError(f"{exc.filename} already exists: back up into a new directory") from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Copied {summary.files} files ({summary.bytes} bytes) to {directory}; checksums in {MANIFEST}."
        )
