"""Complete generated numbers with their control digits so that they pass frmr.core.validators."""

from __future__ import annotations

from frmr.core.validators import (
    SNILS_CHECK_THRESHOLD,
    inn_legal_checksum,
    inn_person_checksum,
    ogrn_checksum,
    snils_checksum,
)


def snils_from_number(number: int) -> str:
    """The 11-digit СНИЛС of the 9-digit account number `number`."""
    if not SNILS_CHECK_THRESHOLD < number <= 999_999_999:
        # Lower numbers predate the control digits; new records never get them.
        raise ValueError(f"СНИЛС account number out of range: {number}")
    base = f"{number:09d}"
    return base + snils_checksum(base)


def person_inn(base: str) -> str:
    """A 12-digit ИНН of a natural person from its first ten digits."""
    return base + inn_person_checksum(base)


def organization_inn(base: str) -> str:
    """A 10-digit ИНН of a legal entity from its first nine digits."""
    return base + inn_legal_checksum(base)


def ogrn(base: str) -> str:
    """A 13-digit ОГРН from its first twelve digits."""
    return base + ogrn_checksum(base)
