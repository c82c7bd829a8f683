"""Private stored files: writing them without a local path, and serving them after an access check.

Uploaded documents, export files and performance reports live in the "default" storage: local files
under MEDIA_ROOT in the embedded default, S3-compatible object storage in production (see the
settings' "Static and uploaded files" section). Nothing here asks a storage for a local path, so any
web node serves a file any other node or worker wrote.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

T = TypeVar("T")


def save_spooled(
    name: str,
    write: Callable[[IO[bytes]], T],
    *,
    storage: Storage | None = None,
    replace: bool = False,
) -> tuple[str, T]:
    """Let `write` fill a temporary file on local disk, then upload it to the storage as `name`.

    Returns the name the storage saved it under and what `write` returned. Memory stays bounded
    however big the file (an export of a whole city): the bytes go to disk, and the upload reads
    them back in chunks (a multipart upload on S3). No partial file is ever visible under `name`:
    nothing is uploaded until `write` has finished, and an object appears only once complete. The
    temporary file has no name on disk, so a worker killed mid-way leaves nothing behind to clean.

    replace: delete what is stored under `name` first, so the new file takes the same name (the
    storages never overwrite: they would pick another name). Someone reading it in between gets a
    404 for that moment, never half a file.
    """
    storage = storage or default_storage
    with tempfile.TemporaryFile() as spool:
        result = write(spool)
        spool.flush()
        spool.seek(0)
        if replace:
            storage.delete(name)  # a missing file is no error, on every backend
        saved = storage.save(name, File(spool, name=name))
    return saved, result


def serve_private(
    request: HttpRequest,
    fieldfile: FieldFile,
    *,
    filename: str,
    content_type: str,
    on_serve: Callable[[], Any] | None = None,
) -> HttpResponse:
    """Answer a download of `fieldfile`, once the caller has decided that `request.user` may have it.

    `on_serve` (the access-log entry) runs after the file is found to exist and before any of it is
    handed out; a missing file (the row outlived it) is a 404 and logs nothing.

    By default the file is streamed through Django from the storage: it works on every backend,
    behind any proxy, and from any node. With STORAGE_REDIRECT_DOWNLOADS on and a storage that signs
    URLs (S3), the answer is instead a 302 to a signed URL valid for AWS_QUERYSTRING_EXPIRE seconds,
    which carries the download's file name and type.
    """
    if not fieldfile:
        raise Http404
    storage = fieldfile.storage
    if settings.STORAGE_REDIRECT_DOWNLOADS and _signs_urls(storage):
        if not storage.exists(fieldfile.name):
            raise Http404
        if on_serve is not None:
            on_serve()
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        url = storage.url(
            fieldfile.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
        )
        response: HttpResponse = HttpResponseRedirect(url)
    else:
        try:
            handle = storage.open(fieldfile.name, "rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        try:
            if on_serve is not None:
                on_serve()
        except Exception:
            handle.close()
            raise
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    # Personal data: no shared cache keeps it (nor the signed URL), and no browser guesses its type.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _signs_urls(storage: Storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a declared dependency
        return False
    return isinstance(storage, S3Storage) and storage.querystring_auth
