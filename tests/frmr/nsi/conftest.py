from __future__ import annotations

import pytest

from frmr.nsi.services import dictionaries_load


@pytest.fixture
def loaded(db: None) -> None:
    """All shipped dictionaries in the test database."""
    dictionaries_load()
