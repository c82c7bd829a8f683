"""`check --deploy` warns when one process's memory or disk would hold what every node must share."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from portal.checks import shared_state

LOCAL_FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
BUCKET = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "hana"}}
MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x:6379/0"}
}


def warnings_with(*, caches: dict, files: dict) -> list[str]:
    # Only for the check's call: the test's own cache must be back before its teardown clears it.
    with override_settings(CACHES=caches, STORAGES={**settings.STORAGES, "default": files}):
        return [warning.id for warning in shared_state(None)]


def test_a_memory_cache_and_local_files_are_named():
    assert warnings_with(caches=MEMORY, files=LOCAL_FILES) == ["hana.W001", "hana.W002"]


def test_redis_and_a_bucket_pass():
    assert warnings_with(caches=REDIS, files=BUCKET) == []
