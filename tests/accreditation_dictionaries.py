"""The dictionaries accreditation needs, loaded before every test of a directory that imports the fixture.

Both sides of accreditation (tests/frmr/accreditation — the services, tests/web/fac — the centre's
cabinet) need the same dictionaries; their conftest.py re-exports `dictionaries` so it applies to each
test there. Role fixtures (worker, other_worker, fac_staff, secretary, operator_a) come from
tests/roles.py.
"""

from __future__ import annotations

import pytest

from frmr.nsi import oids
from frmr.nsi.services import dictionaries_load

NEEDED = [
    oids.EDUCATION_LEVELS,
    oids.SPECIALTY_KINDS,
    oids.SPECIALTIES,
    oids.ACCREDITATION_KINDS,
    oids.REGIONS,
]


@pytest.fixture(autouse=True)
def dictionaries(db: None) -> None:
    dictionaries_load(only=NEEDED)
