"""Documents on S3-compatible storage: a moto server for the session, a fresh bucket for each test."""

from __future__ import annotations

from typing import Any

import pytest

from tests.s3server import new_bucket, s3_endpoint, storage_options  # noqa: F401 (s3_endpoint: a fixture)


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:  # noqa: F811
    return new_bucket(s3_endpoint)


@pytest.fixture
def s3_documents(settings: Any, s3_endpoint: str, s3_bucket: str) -> str:  # noqa: F811
    """Documents of this test go to a new bucket on the moto server; returns the bucket's name."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "frmr.documents.s3.DocumentS3Storage",
            "OPTIONS": storage_options(s3_endpoint, s3_bucket),
        },
    }
    return s3_bucket
