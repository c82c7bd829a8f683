"""Deployment checks (`manage.py check --deploy`): what a production topology needs beyond one process.

The embedded default (one runserver, tasks in-process) needs none of this; these warn only under
--deploy, when DEBUG is off, where several gunicorn workers or nodes serve the same district.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_state(app_configs, **kwargs) -> list[Warning]:
    warnings = []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        warnings.append(
            Warning(
                "The cache is in each process's memory: API throttles, the kiosk's bad-token limit and "
                "beat's heartbeat are counted per gunicorn worker, so N workers allow N times the limit.",
                hint="Set REDIS_URL so that every worker and node shares one cache.",
                id="hana.W001",
            )
        )
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        warnings.append(
            Warning(
                "Uploads, exports and reports are kept on this machine's disk: a second web node "
                "cannot serve them, and a worker on another machine cannot write them.",
                hint="Set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL for MinIO) for object storage.",
                id="hana.W002",
            )
        )
    return warnings
