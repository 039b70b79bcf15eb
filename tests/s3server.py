"""A local S3-compatible server for the tests: moto in server mode, started and stopped by the test run.

The S3 tests (documents on object storage, the backup drill) run in CI (CI=true) and when
FRMR_TEST_S3=1; elsewhere they are skipped with the reason below. The port is FRMR_TEST_MOTO_PORT
when set, otherwise a free one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port, wait_until_serving

SKIP_REASON = "S3 tests start a moto server: run them with CI=true or FRMR_TEST_S3=1"
# moto accepts any credentials; these only have to be present so that boto3 signs its requests.
ACCESS_KEY = "frmr-test-access"
SECRET_KEY = "frmr-test-secret"
REGION = "us-east-1"


def s3_enabled() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("FRMR_TEST_S3") == "1"


def moto_command() -> str:
    found = Path(sys.executable).with_name("moto_server")
    if found.exists():
        return str(found)
    return shutil.which("moto_server") or ""


@contextmanager
def moto_server(log_dir: Path) -> Iterator[str]:
    """Start `moto_server` on 127.0.0.1 and yield its endpoint URL; stop it afterwards."""
    command = moto_command()
    if not command:
        raise RuntimeError("moto_server is missing: pip install -r requirements-dev.txt")
    port = int(os.environ.get("FRMR_TEST_MOTO_PORT") or free_port())
    log_path = log_dir / "moto.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, f"{endpoint}/moto-api/", log_path, name="moto_server")
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def new_bucket(endpoint: str, prefix: str = "frmr-test") -> str:
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


def storage_options(endpoint: str, bucket: str) -> dict[str, Any]:
    """What config/env.py builds from FRMR_STORAGE_BACKEND=s3 and FRMR_S3_*, for this server."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": REGION,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "addressing_style": "path",
        "location": "",
        "signature_version": "s3v4",
        "default_acl": None,
        "object_parameters": {"ServerSideEncryption": "AES256"},
        "verify": None,
    }


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not s3_enabled():
        pytest.skip(SKIP_REASON)
    with moto_server(tmp_path_factory.mktemp("moto")) as endpoint:
        yield endpoint
