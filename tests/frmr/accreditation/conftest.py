from __future__ import annotations

import pytest

from frmr.accounts.models import Role, User
from frmr.nsi import oids
from frmr.nsi.services import dictionaries_load
from tests.accreditation_helpers import make_role_user, make_worker

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


@pytest.fixture
def worker() -> User:
    return make_worker("doctor")


@pytest.fixture
def other_worker() -> User:
    return make_worker("other_doctor")


@pytest.fixture
def fac_staff() -> User:
    return make_role_user(Role.FAC_STAFF, "fac")


@pytest.fixture
def secretary() -> User:
    return make_role_user(Role.SECRETARY, "secretary")
