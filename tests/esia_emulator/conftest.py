"""The emulator runs as a real server; its fixtures live in tests/esia_fixtures.py for the product."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.esia_fixtures import (  # noqa: F401 - fixtures are registered by being imported here
    EmulatorProcess,
    esia_emulator_db,
    esia_emulator_server,
    prepare_emulator,
    start_emulator,
)


@pytest.fixture(scope="module")
def short_lived_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second emulator with its own database and one-second codes, for expiry and lockout tests."""
    db_path: Path = tmp_path_factory.mktemp("esia-short") / "esia.sqlite3"
    overrides = {"ESIA_EMULATOR_CODE_TTL_SECONDS": "1", "ESIA_EMULATOR_LOCKOUT_SECONDS": "600"}
    prepare_emulator(db_path, **overrides)
    emulator: EmulatorProcess = start_emulator(
        db_path, tmp_path_factory.mktemp("esia-short-log"), **overrides
    )
    try:
        yield emulator.base_url
    finally:
        emulator.stop()
