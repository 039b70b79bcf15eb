"""FRMR_STORAGE_BACKEND and FRMR_S3_*: what the settings build, read in a fresh interpreter each time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
PRINT = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps(s.STORAGES['default'], default=str))"
)


def storages_default(variables: dict[str, str]) -> tuple[dict[str, Any] | None, str]:
    clean = {
        name: value for name, value in os.environ.items() if not name.startswith(("FRMR_", "DJANGO_", "AWS_"))
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **variables})
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode:
        return None, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), ""


def test_the_file_system_is_the_default() -> None:
    found, _ = storages_default({})
    assert found == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_reads_its_options_and_encrypts_by_default() -> None:
    found, error = storages_default(
        {
            "FRMR_STORAGE_BACKEND": "s3",
            "FRMR_S3_BUCKET": "frmr-documents",
            "FRMR_S3_ENDPOINT_URL": "https://storage.example.ru",
            "FRMR_S3_REGION": "ru-central1",
            "FRMR_S3_ADDRESSING_STYLE": "path",
        }
    )
    assert found is not None, error
    assert found["BACKEND"] == "frmr.documents.s3.DocumentS3Storage"
    options = found["OPTIONS"]
    assert options["bucket_name"] == "frmr-documents"
    assert options["endpoint_url"] == "https://storage.example.ru"
    assert options["region_name"] == "ru-central1"
    assert options["addressing_style"] == "path"
    assert options["default_acl"] is None
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert options["access_key"] is None  # boto3 then finds credentials itself


def test_encryption_can_be_switched_off_for_a_storage_without_it() -> None:
    found, error = storages_default(
        {"FRMR_STORAGE_BACKEND": "s3", "FRMR_S3_BUCKET": "b", "FRMR_S3_SERVER_SIDE_ENCRYPTION": "none"}
    )
    assert found is not None, error
    assert found["OPTIONS"]["object_parameters"] == {}


def test_a_missing_bucket_and_a_wrong_encryption_are_reported_together() -> None:
    found, error = storages_default({"FRMR_STORAGE_BACKEND": "s3", "FRMR_S3_SERVER_SIDE_ENCRYPTION": "yes"})
    assert found is None
    assert "Set FRMR_S3_BUCKET." in error
    assert "FRMR_S3_SERVER_SIDE_ENCRYPTION='yes'" in error
