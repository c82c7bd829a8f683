"""An S3 "default" storage for tests: moto's in-process mock of S3 with one bucket.

Not a conftest.py: the modules that test a feature on object storage import the fixture themselves
(`s3 = object_storage.s3`). The storage options are the ones portal/settings.py builds from the
AWS_* variables (checked in test_object_storage_settings), without an endpoint: moto answers for AWS.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

BUCKET = "hana-test-files"
REGION = "us-east-1"
S3_OPTIONS = {
    "bucket_name": BUCKET,
    "endpoint_url": None,
    "access_key": "test-access-key",
    "secret_key": "test-secret-key",
    "region_name": REGION,
    "addressing_style": "path",
    "signature_version": "s3v4",
    "default_acl": None,
    "querystring_auth": True,
    "querystring_expire": 60,
    "file_overwrite": False,
    "max_memory_size": 2 * 1024 * 1024,
}


@dataclass
class Bucket:
    """The test bucket, read directly (not through Django's storage)."""

    client: object
    name: str = BUCKET

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def s3(settings, tmp_path) -> Iterator[Bucket]:
    """Object storage as the "default" storage, and a MEDIA_ROOT that must stay empty: a test using
    this fixture fails if anything still writes a local file (or asks for a local path: S3Storage
    raises NotImplementedError for .path())."""
    media = tmp_path / "media-must-stay-empty"
    media.mkdir()
    settings.MEDIA_ROOT = media
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        # Overriding STORAGES resets django's cached default_storage (and so every FileField's).
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": dict(S3_OPTIONS)},
        }
        yield Bucket(client)
    assert not any(Path(media).iterdir()), "a file was written to local disk instead of the storage"
