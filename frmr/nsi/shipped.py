"""The dictionaries shipped with the register in frmr/nsi/data/ (format: docs/nsi.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.utils.translation import gettext as _

from frmr.nsi import oids
from frmr.nsi.records import DictionaryFileError, EntryData, check_entries, parse_date

DATA_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = ["code", "name", "parent_code", "valid_from", "valid_to", "attrs_json"]


def data_file(oid: str) -> Path:
    return DATA_DIR / oids.DATA_FILES[oid]


def read_data_file(path: Path) -> list[EntryData]:
    """Entries of one shipped file, in file order (which becomes `sort_order`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DictionaryFileError(
            _("Файл %(name)s: ожидается кодировка UTF-8 (%(reason)s).")
            % {"name": path.name, "reason": exc.reason}
        ) from exc
    reader = csv.reader(text.splitlines(), delimiter=";")
    header = next(reader, None)
    if header != COLUMNS:
        raise DictionaryFileError(
            _("Файл %(name)s: первая строка должна быть «%(expected)s», а не «%(found)s».")
            % {"name": path.name, "expected": ";".join(COLUMNS), "found": ";".join(header or [])}
        )
    entries: list[EntryData] = []
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = _("Файл %(name)s, строка") % {"name": path.name}
        if len(row) != len(COLUMNS):
            raise DictionaryFileError(
                _("%(where)s %(line)s: %(found)s столбцов вместо %(expected)s.")
                % {"where": where, "line": line_no, "found": len(row), "expected": len(COLUMNS)}
            )
        code, name, parent, valid_from, valid_to, attrs_json = (cell.strip() for cell in row)
        if not code:
            raise DictionaryFileError(
                _("%(where)s %(line)s: в столбце «code» пусто.") % {"where": where, "line": line_no}
            )
        attrs = {}
        if attrs_json:
            try:
                attrs = json.loads(attrs_json)
            except json.JSONDecodeError as exc:
                raise DictionaryFileError(
                    _("%(where)s %(line)s: в столбце «attrs_json» не JSON (%(msg)s): «%(attrs_json)s».")
                    % {"where": where, "line": line_no, "msg": exc.msg, "attrs_json": attrs_json}
                ) from exc
            if not isinstance(attrs, dict):
                raise DictionaryFileError(
                    _(
                        "%(where)s %(line)s: в столбце «attrs_json» должен быть объект {…}, а не "
                        "«%(attrs_json)s»."
                    )
                    % {"where": where, "line": line_no, "attrs_json": attrs_json}
                )
        entries.append(
            EntryData(
                code=code,
                name=name,
                row=line_no,
                parent_code=parent or None,
                valid_from=parse_date(valid_from, row=line_no, column="valid_from", where=where),
                valid_to=parse_date(valid_to, row=line_no, column="valid_to", where=where),
                attrs=attrs,
                sort_order=len(entries) + 1,
            )
        )
    check_entries(entries, where=_("Файл %(name)s, строка") % {"name": path.name})
    return entries


def read_shipped(oid: str) -> list[EntryData]:
    return read_data_file(data_file(oid))
