from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def dictionaries(db: None) -> None:
    """The shipped reference dictionaries: the import finds positions and the like by name."""
    call_command("load_dictionaries", stdout=StringIO())
