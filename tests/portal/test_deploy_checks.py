"""`check --deploy`: it warns when one process's memory or disk would hold what every node must share,
and with production settings it finds nothing at all (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from portal.checks import shared_state

ROOT = Path(__file__).resolve().parents[2]
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


# --- the whole `check --deploy`, with production settings ---------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "Zq8v2LkP0xR7mT4nW9bY3cF6hJ1sD5gA8eU2iO7pQ4rV0zX3kM",  # 50 characters, varied
    "ALLOWED_HOSTS": "hana.example.kr",
    "REDIS_URL": "redis://127.0.0.1:6399/0",  # never contacted: checks read settings only
    "AWS_STORAGE_BUCKET_NAME": "hana",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A fresh process: settings are read from the environment once, at start-up.
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser test (Playwright) in this process, not production.
    dropped = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_reports_no_issue():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_csp_report_only_switches_the_header_not_the_policy():
    show = (
        "from django.conf import settings as s; "
        "print(bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY))"
    )
    enforced = _manage("shell", "-c", show, env=PRODUCTION_ENV)
    trial = _manage("shell", "-c", show, env={**PRODUCTION_ENV, "CSP_REPORT_ONLY": "true"})
    assert enforced.stdout.split()[-2:] == ["True", "False"], enforced.stdout + enforced.stderr
    assert trial.stdout.split()[-2:] == ["False", "True"], trial.stdout + trial.stderr
