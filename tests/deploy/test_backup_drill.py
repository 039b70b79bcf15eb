"""The backup and restore drill (scripts/backup_drill.py, docs/backup.md) on the demo data: back up,
destroy, restore into a new database and a new directory or bucket, compare every table's row count
and every document's SHA-256. It builds a whole install (migrations, demo data), so it runs in CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlunsplit

import pytest
from django.db import connection

from scripts.backup_drill import DirectoryStore, differences
from tests.s3server import ACCESS_KEY, REGION, SECRET_KEY, s3_endpoint  # noqa: F401 (s3_endpoint: a fixture)

ROOT = Path(__file__).resolve().parents[2]
SKIP_REASON = (
    "the backup drill builds and restores a whole install: run it with CI=true or FRMR_TEST_BACKUP_DRILL=1"
)


def run_drill(*extra: str) -> dict[str, Any]:
    if os.environ.get("CI") != "true" and os.environ.get("FRMR_TEST_BACKUP_DRILL") != "1":
        pytest.skip(SKIP_REASON)
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    netloc = f"{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    server = urlunsplit(("postgres", netloc, "", "", ""))
    # Named after this run's test database (test_frmr… ): never a database someone else uses.
    prefix = f"{settings['NAME']}_drill"
    done = subprocess.run(
        [sys.executable, "scripts/backup_drill.py", "--server", server, "--prefix", prefix, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.stdout.strip(), done.stderr
    report: dict[str, Any] = json.loads(done.stdout[done.stdout.index("{") :])
    assert done.returncode == 0, report["problems"]
    return report


def assert_restored(report: dict[str, Any]) -> None:
    assert report["problems"] == []
    assert report["tables"] > 30 and report["rows"] > 1000  # the whole schema with the demo data
    assert report["documents"] >= 6 and report["recorded_documents"] == report["documents"]


@pytest.mark.postgres
def test_the_drill_restores_a_filesystem_install(db: None) -> None:
    report = run_drill("--store", "filesystem")
    assert report["store"] == "filesystem"
    assert_restored(report)


@pytest.mark.postgres
def test_the_drill_restores_an_install_on_s3(db: None, s3_endpoint: str) -> None:  # noqa: F811
    report = run_drill(
        "--store", "s3", "--s3-endpoint", s3_endpoint, "--s3-access-key", ACCESS_KEY,
        "--s3-secret-key", SECRET_KEY, "--s3-region", REGION,
    )  # fmt: skip
    assert report["store"] == "s3" and report["restored"]["store"].endswith("-restored")
    assert_restored(report)


def test_a_changed_byte_or_a_lost_file_is_a_difference(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "a.pdf").write_bytes(b"%PDF-1.7 one")
    (tmp_path / "documents" / "b.pdf").write_bytes(b"%PDF-1.7 two")
    before = store.checksums()
    (tmp_path / "documents" / "a.pdf").write_bytes(b"%PDF-1.7 onE")
    (tmp_path / "documents" / "b.pdf").unlink()
    found = differences(before, store.checksums())
    assert [line.split(":")[0] for line in found] == ["documents/a.pdf", "documents/b.pdf"]
    assert differences({"t": 3}, {"t": 3}) == [] and differences({"t": 3}, {"t": 2}) == [
        "t: expected 3, found 2"
    ]
