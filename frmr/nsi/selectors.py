"""Reading reference dictionaries. Dictionaries are public, so these reads need no actor."""

from __future__ import annotations

import datetime

from django.utils import timezone

from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry, DictionaryEntryQuerySet


def entries_of(*, oid: str, on: datetime.date | None = None) -> DictionaryEntryQuerySet:
    """Entries of a dictionary in force on `on` (today when not given), in the dictionary's order.

    Choices for new records come from here; a record that already refers to a retired entry keeps
    showing it, because the foreign key does not go through this filter.
    """
    return DictionaryEntry.objects.of(oid).valid_on(on or timezone.localdate())


def entry_get(*, oid: str, code: str) -> DictionaryEntry:
    """The entry with this code whatever its dates; raises DictionaryEntry.DoesNotExist."""
    return DictionaryEntry.objects.of(oid).get(code=code)


def specialties_for(
    *,
    education_level: str | None = None,
    specialty_kind: str | None = None,
    on: datetime.date | None = None,
) -> DictionaryEntryQuerySet:
    """Specialties of a level of education and/or a kind (codes.EDUCATION_LEVEL_*, codes.SPECIALTY_KIND_*)."""
    entries = entries_of(oid=oids.SPECIALTIES, on=on)
    if education_level is not None:
        entries = entries.filter(attrs__education_level=education_level)
    if specialty_kind is not None:
        entries = entries.filter(attrs__specialty_kind=specialty_kind)
    return entries


def specialty_kinds_for(
    *, education_level: str | None, on: datetime.date | None = None
) -> DictionaryEntryQuerySet:
    entries = entries_of(oid=oids.SPECIALTY_KINDS, on=on)
    if education_level is not None:
        entries = entries.filter(attrs__education_level=education_level)
    return entries


def positions_for_specialty(
    *, specialty: DictionaryEntry, on: datetime.date | None = None
) -> list[DictionaryEntry]:
    """Positions a holder of `specialty` may take, by the positions' `specialties`/`specialty_kinds` attrs.

    Filtered in Python: JSON list containment is not portable between SQLite and PostgreSQL, and the
    positions dictionary is a few hundred rows.
    """
    kind = specialty.attrs.get("specialty_kind")
    return [
        position
        for position in entries_of(oid=oids.POSITIONS, on=on)
        if specialty.code in position.attrs.get("specialties", [])
        or (kind is not None and kind in position.attrs.get("specialty_kinds", []))
    ]
