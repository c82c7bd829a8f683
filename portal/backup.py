"""Copying every stored file to a directory and back: the file half of a backup (ops/backup, ops/restore).

Works through Django's storage API, so the same code copies local files under MEDIA_ROOT and the
objects of an S3 bucket (no `aws s3 sync` needed on the machine). A backup directory holds:

    files/<name>     one file per stored file, at its storage name
    files.sha256     "<sha256>  <name>" per file, the format `sha256sum -c` reads (run it in files/)

A restore checks every file against files.sha256 before it uploads any of them.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage, default_storage

FILES_DIR = "files"
MANIFEST = "files.sha256"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be trusted; the message says which file and why."""


@dataclass
class CopySummary:
    files: int = 0
    bytes: int = 0
    skipped: int = 0  # restore: already stored with the same content


def stored_names(storage: Storage, top: str = "") -> Iterator[str]:
    """Every file name in the storage under `top`, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(top)
    except FileNotFoundError:  # local files: MEDIA_ROOT not created yet, nothing stored
        return
    for name in sorted(files):
        yield posixpath.join(top, name) if top else name
    for directory in sorted(directories):
        yield from stored_names(storage, posixpath.join(top, directory) if top else directory)


def storage_backup(
    *, target: Path, storage: Storage | None = None, exclude: Iterable[str] = ()
) -> CopySummary:
    """Copy every stored file (except names starting with an `exclude` prefix) into target/files and
    write target/files.sha256. The target's files directory must not exist yet: a backup is never
    merged into an older one."""
    storage = storage or default_storage
    exclude = tuple(exclude)
    files_dir = Path(target) / FILES_DIR
    files_dir.mkdir(parents=True, exist_ok=False)
    summary = CopySummary()
    lines = []
    for name in stored_names(storage):
        if exclude and name.startswith(exclude):
            continue
        destination = files_dir / _safe(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, destination.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        lines.append(f"{digest.hexdigest()}  {name}\n")
        summary.files += 1
        summary.bytes += destination.stat().st_size
    (Path(target) / MANIFEST).write_text("".join(lines), encoding="utf-8")
    return summary


def storage_restore(*, source: Path, storage: Storage | None = None) -> CopySummary:
    """Put every file of a backup directory back into the storage under its own name.

    Every file is checked against the manifest first, and nothing is uploaded unless all match. A
    file already stored with the same content is left alone (a restore may be re-run after a
    failure); one stored with other content is replaced by the backup's.
    """
    storage = storage or default_storage
    files_dir = Path(source) / FILES_DIR
    manifest = _read_manifest(Path(source) / MANIFEST)
    on_disk = sorted(
        path.relative_to(files_dir).as_posix() for path in files_dir.rglob("*") if path.is_file()
    )
    if sorted(manifest) != on_disk:
        missing = sorted(set(manifest) - set(on_disk))[:5]
        extra = sorted(set(on_disk) - set(manifest))[:5]
        raise BackupError(f"the files do not match {MANIFEST}: missing {missing}, not listed {extra}")
    for name in on_disk:
        if _sha256_of_file(files_dir / name) != manifest[name]:
            raise BackupError(f"{name} is damaged: its checksum differs from {MANIFEST}")

    summary = CopySummary()
    for name in on_disk:
        path = files_dir / _safe(name)
        if storage.exists(name):
            if _sha256_of_stored(storage, name) == manifest[name]:
                summary.skipped += 1
                continue
            storage.delete(name)  # the storages never overwrite: the backup's copy takes the name back
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"{name} was stored as {saved}: the storage refused the name")
        summary.files += 1
        summary.bytes += path.stat().st_size
    return summary


def _safe(name: str) -> str:
    """A storage name as a relative path that stays inside the backup directory."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"refusing the file name {name!r}")
    return str(pure)


def _read_manifest(path: Path) -> dict[str, str]:
    if not path.exists():
        raise BackupError(f"{path} is missing: this is not a complete backup")
    manifest = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise BackupError(f"{path}:{number} is not a '<sha256>  <name>' line")
        manifest[_safe(name)] = digest
    return manifest


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_of_stored(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
