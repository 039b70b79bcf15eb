"""A change of a known person's identity by an import row, and the operator's confirmation of it.

A row matched by СНИЛС to a person whose surname, first name, patronymic or birth date it would
replace may be about someone else (a mistyped СНИЛС, the template's example left in): the dry run
lists such rows apart, and the application writes only those the operator confirmed, by the key
shown for each (docs/import.md, «Changes of identity»).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from frmr.imports.rows import ParsedRow
from frmr.imports.snapshots import IDENTITY_FIELDS, PERSON_LABELS
from frmr.registry import models as m


class ConfirmAll:
    """Every change of identity confirmed beforehand (`import_employees --confirm-identity-changes`)."""

    def __contains__(self, key: object) -> bool:
        return True


def identity_change(person: m.Person, row: ParsedRow, changed: list[str]) -> list[list[str]]:
    """[label, old, new] for each recorded identity field the row would replace by another value.

    Filling an empty field is not a change of identity; the person may be one the file itself
    creates in an earlier row (then the file contradicts itself, which deserves a look too).
    """
    return [
        [str(PERSON_LABELS[key]), _shown(getattr(person, key)), _shown(row.person[key])]
        for key in IDENTITY_FIELDS
        if key in changed and getattr(person, key) not in (None, "")
    ]


def _shown(value: Any) -> str:
    return f"{value:%d.%m.%Y}" if isinstance(value, datetime.date) else str(value)


def identity_key(row: ParsedRow, identity: list[list[str]]) -> str:
    """What the operator confirms: this row of this file changing this person from these values to
    these. If the register changed in between (another old value), the key differs: not confirmed."""
    text = json.dumps([row.row, row.snils, identity], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
