"""Every test here starts with the accreditation dictionaries (tests/accreditation_dictionaries.py)."""

from tests.accreditation_dictionaries import dictionaries  # noqa: F401 - an autouse fixture for this directory
