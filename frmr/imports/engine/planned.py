"""What a dry run remembers of the persons earlier rows create or change: one packed value per СНИЛС.

A dry run writes nothing, so a later row of the same СНИЛС must meet the person as the earlier rows
would leave them (`Context.planned_new`, `Context.planned_identity`). This grows with the file: as a
dict of field → value per СНИЛС it took about 490 bytes a person, 490 MB for a file of 1,000,000 new
persons. Packed — the СНИЛС as an int, the four identity fields as one UTF-8 string — it takes about a
third of that, and the values come back equal (tests/frmr/imports/test_planned.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from frmr.imports.snapshots import IDENTITY_FIELDS

_SEP = "\x1f"  # the unit separator: refused in every cell (a control character), so never in a value


def _key(snils: str) -> int | str:
    # A checked СНИЛС is 11 digits; anything else (never planned by the checks) stays a string.
    return int(snils) if len(snils) == 11 and snils.isascii() and snils.isdigit() else snils


class PlannedIdentities:
    """СНИЛС → the identity fields (`IDENTITY_FIELDS`) planned for that person, compactly."""

    def __init__(self) -> None:
        self._packed: dict[int | str, bytes] = {}

    def __contains__(self, snils: object) -> bool:
        return isinstance(snils, str) and _key(snils) in self._packed

    def __len__(self) -> int:
        return len(self._packed)

    def __setitem__(self, snils: str, identity: Mapping[str, Any]) -> None:
        last_name, first_name, patronymic, birth_date = (identity[key] for key in IDENTITY_FIELDS)
        date = birth_date.isoformat() if birth_date is not None else ""
        packed = _SEP.join((last_name or "", first_name or "", patronymic or "", date))
        self._packed[_key(snils)] = packed.encode()

    def __getitem__(self, snils: str) -> dict[str, Any]:
        last_name, first_name, patronymic, date = self._packed[_key(snils)].decode().split(_SEP)
        birth_date = datetime.date.fromisoformat(date) if date else None
        return dict(zip(IDENTITY_FIELDS, (last_name, first_name, patronymic, birth_date), strict=True))
