"""Writing dictionary entries: the shipped files and official ФРНСИ exports go through `dictionary_sync`.

Entries are never deleted. Old records refer to them by foreign key (PROTECT), and a register must be
able to show what a record meant when it was made; retirement is a `valid_to` date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from frmr.nsi import oids
from frmr.nsi.frnsi import Export
from frmr.nsi.models import DictionaryEntry, EntrySource
from frmr.nsi.records import LINE, DictionaryFileError, EntryData
from frmr.nsi.shipped import read_shipped

_FIELDS = ["name", "valid_from", "valid_to", "attrs", "sort_order", "source", "parent"]


@dataclass
class SyncResult:
    oid: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    skipped_reason: str = ""

    @property
    def title(self) -> str:
        return oids.title(self.oid)


@transaction.atomic
def dictionary_sync(
    *,
    oid: str,
    entries: list[EntryData],
    source: str = EntrySource.PROJECT,
    retire_missing_on: datetime.date | None = None,
    keep_stored_dates: bool = False,
    where: StrOrPromise = LINE,
) -> SyncResult:
    """Insert new entries and update changed ones of one dictionary in a few bulk queries.

    Attributes are merged into the stored ones rather than replaced, so that a shipped file never wipes
    columns an official export brought. With `retire_missing_on`, entries the file does not mention get
    that `valid_to` (only an official export is complete enough to say so). With `keep_stored_dates`, a
    blank date in the file leaves the stored one alone, so that loading the shipped files again does not
    undo a retirement made by an operator.
    """
    result = SyncResult(oid=oid)
    stored = {entry.code: entry for entry in DictionaryEntry.objects.of(oid).select_for_update()}
    changed: dict[str, DictionaryEntry] = {}
    renamed: set[int] = set()
    new: list[DictionaryEntry] = []
    for data in entries:
        entry = stored.get(data.code)
        if entry is None:
            new.append(
                DictionaryEntry(
                    dictionary=oid,
                    code=data.code,
                    name=data.name,
                    valid_from=data.valid_from,
                    valid_to=data.valid_to,
                    attrs=data.attrs,
                    sort_order=data.sort_order or 0,
                    source=source,
                )
            )
            continue
        wanted: dict[str, Any] = {
            "name": data.name,
            "valid_from": data.valid_from or (entry.valid_from if keep_stored_dates else None),
            "valid_to": data.valid_to or (entry.valid_to if keep_stored_dates else None),
            "attrs": {**entry.attrs, **data.attrs},
            "source": source,
        }
        if data.sort_order is not None:
            wanted["sort_order"] = data.sort_order
        if entry.name != data.name:
            renamed.add(entry.pk)
        if _assign(entry, wanted):
            changed[entry.code] = entry
    DictionaryEntry.objects.bulk_create(new)
    result.created = len(new)

    # Parents are resolved after creation so that a file may list a child before its parent.
    ids = dict(DictionaryEntry.objects.of(oid).values_list("code", "id"))
    created_codes = {entry.code for entry in new}
    parents_of_new: list[DictionaryEntry] = []
    by_code = {**stored, **{entry.code: entry for entry in new}}
    for data in entries:
        parent_id = None
        if data.parent_code is not None:
            parent_id = ids.get(data.parent_code)
            if parent_id is None:
                raise DictionaryFileError(
                    _(
                        "%(where)s %(row)s: родительская запись «%(parent_code)s» для кода «%(code)s» не "
                        "найдена ни в файле, ни в справочнике."
                    )
                    % {"where": where, "row": data.row, "parent_code": data.parent_code, "code": data.code}
                )
        entry = by_code[data.code]
        if entry.parent_id == parent_id:
            continue
        entry.parent_id = parent_id
        if data.code in created_codes:
            entry.pk = ids[data.code]
            parents_of_new.append(entry)
        else:
            changed[data.code] = entry

    listed = {data.code for data in entries}
    if retire_missing_on is not None:
        for code, entry in stored.items():
            if code in listed or (entry.valid_to is not None and entry.valid_to <= retire_missing_on):
                continue
            day = max(retire_missing_on, entry.valid_from) if entry.valid_from else retire_missing_on
            entry.valid_to = day
            changed[code] = entry
            result.retired += 1

    DictionaryEntry.objects.bulk_update([*changed.values(), *parents_of_new], _FIELDS, batch_size=500)
    if renamed and oid == oids.POSITIONS:
        # The employer's roster shows position names (frmr/registry/roster.py).
        from frmr.registry.roster import roster_refresh_positions

        roster_refresh_positions(entry_ids=renamed)
    result.updated = len(changed.keys() & listed)
    result.unchanged = len(entries) - result.created - result.updated
    return result


def _assign(entry: DictionaryEntry, wanted: dict[str, Any]) -> bool:
    differs = False
    for name, value in wanted.items():
        if getattr(entry, name) != value:
            setattr(entry, name, value)
            differs = True
    return differs


@transaction.atomic
def dictionaries_load(*, only: list[str] | None = None) -> list[SyncResult]:
    """Load the shipped files; a dictionary that already holds an official ФРНСИ export is left as is."""
    unknown = [oid for oid in only or [] if oid not in oids.DATA_FILES]
    if unknown:
        raise DictionaryFileError(
            _("Для справочников %(unknown)s в проекте нет файла. Известные OID: %(known)s")
            % {"unknown": ", ".join(unknown), "known": ", ".join(oids.DATA_FILES)}
        )
    results = []
    for oid in only or list(oids.DATA_FILES):
        if DictionaryEntry.objects.of(oid).filter(source=EntrySource.FRNSI).exists():
            results.append(
                SyncResult(
                    oid=oid,
                    skipped_reason=_("загружена официальная выгрузка ФРНСИ, файл проекта не применён"),
                )
            )
            continue
        results.append(
            dictionary_sync(
                oid=oid,
                entries=read_shipped(oid),
                keep_stored_dates=True,
                where=_("Файл %(name)s, строка") % {"name": oids.DATA_FILES[oid]},
            )
        )
    return results


@transaction.atomic
def frnsi_import(*, oid: str, export: Export, on: datetime.date, retire_missing: bool = False) -> SyncResult:
    """Apply an official export: its dates are authoritative, and with `retire_missing` so is its list.

    An entry the export marks as not actual without giving a date is retired on `on`, unless it already
    has an end date (importing the same file again the next day must not move it).
    """
    entries = export.entries
    if export.retired_without_date:
        stored_ends = dict(
            DictionaryEntry.objects.of(oid)
            .filter(code__in=export.retired_without_date, valid_to__isnull=False)
            .values_list("code", "valid_to")
        )
        entries = [
            replace(data, valid_to=stored_ends.get(data.code) or max(on, data.valid_from or on))
            if data.code in export.retired_without_date
            else data
            for data in entries
        ]
    return dictionary_sync(
        oid=oid,
        entries=entries,
        source=EntrySource.FRNSI,
        retire_missing_on=on if retire_missing else None,
        where=export.where,
    )
