"""Reading an official ФРНСИ export (nsi.rosminzdrav.ru) of any dictionary: JSON or CSV.

JSON comes in the shapes the NSI REST `data` method and the file downloads use: a list of objects,
`{"list": [[{"column": ..., "value": ...}, ...], ...]}`, or the same rows without the wrapper. CSV may be
`;` or `,` separated, UTF-8 or Windows-1251, with a header row. Column names differ between dictionaries,
so the usual ones are recognised and the others are kept in `attrs` under their own names.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from frmr.nsi.records import DictionaryFileError, EntryData, check_entries, parse_date

CODE_COLUMNS = ("ID", "CODE", "RECID")
NAME_COLUMNS = ("NAME", "NAME_FULL", "FULLNAME", "NAME_SHORT")
PARENT_COLUMNS = ("PARENT", "PARENT_ID", "PARENTID")
VALID_FROM_COLUMNS = ("DATEIN", "DATE_BEGIN", "DATA_BEGIN", "DATEBEG", "DATE_START")
VALID_TO_COLUMNS = ("DATEOUT", "DATA_END", "DATE_END", "DATEEND")
# A flag some dictionaries use instead of (or with) an end date; "0"/"false" means retired.
ACTUAL_COLUMNS = ("ACTUAL", "REL", "IS_ACTUAL")
_FALSE = {"0", "false", "нет", "n", "no"}  # i18n: values found in export files


@dataclass(frozen=True)
class Columns:
    code: str | None = None
    name: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Export:
    entries: list[EntryData]
    # Entries the file marks as no longer actual without a date; the caller retires them on import day.
    retired_without_date: frozenset[str]
    where: str  # "Строка" for CSV (line numbers), "Запись" for JSON (record numbers)


def read_export(path: Path, *, columns: Columns | None = None) -> Export:
    raw = path.read_bytes()
    text = _decode(raw)
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        rows, first_row, where = _json_rows(stripped), 1, _("Запись")
    else:
        rows, first_row, where = _csv_rows(text), 2, _("Строка")
    if not rows:
        raise DictionaryFileError(_("В файле нет ни одной записи."))
    return _entries(rows, first_row=first_row, where=where, columns=columns or Columns())


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # ФРНСИ's CSV downloads and Excel on Russian Windows write Windows-1251.
        return raw.decode("cp1251", errors="strict")


def _json_rows(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DictionaryFileError(
            _("Файл не является корректным JSON: %(msg)s (строка %(lineno)s, позиция %(colno)s).")
            % {"msg": exc.msg, "lineno": exc.lineno, "colno": exc.colno}
        ) from exc
    if isinstance(data, dict):
        for key in ("list", "data", "rows"):
            if key in data:
                data = data[key]
                break
        else:
            raise DictionaryFileError(
                _("В JSON нет списка записей: ожидается список объектов или объект с ключом «list».")
            )
    if not isinstance(data, list):
        raise DictionaryFileError(_("В JSON нет списка записей: ожидается список объектов."))
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            rows.append({str(key): value for key, value in item.items()})
        elif isinstance(item, list):
            rows.append(_column_value_row(item, number))
        else:
            raise DictionaryFileError(
                _("Запись %(number)s: ожидается объект или список пар column/value.") % {"number": number}
            )
    return rows


def _column_value_row(cells: Iterable[Any], number: int) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for cell in cells:
        if not isinstance(cell, dict) or "column" not in cell:
            raise DictionaryFileError(
                _('Запись %(number)s: ожидаются пары {"column": …, "value": …}, а встретилось «%(cell)s».')
                % {"number": number, "cell": cell}
            )
        row[str(cell["column"])] = cell.get("value")
    return row


def _csv_rows(text: str) -> list[dict[str, Any]]:
    lines = text.splitlines()
    if not lines:
        return []
    header = lines[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    names = [name.strip() for name in next(reader)]
    if len(set(names)) != len(names) or not all(names):
        raise DictionaryFileError(_("Строка 1: в заголовке пустые или повторяющиеся имена столбцов."))
    rows: list[dict[str, Any]] = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            # Keep numbering in step with the file even for blank lines.
            rows.append({})
            continue
        if len(cells) != len(names):
            raise DictionaryFileError(
                _(
                    "Строка %(line)s: %(found)s значений при %(expected)s столбцах в "
                    "заголовке (разделитель «%(delimiter)s»)."
                )
                % {
                    "line": line_no,
                    "found": len(cells),
                    "expected": len(names),
                    "delimiter": delimiter,
                }
            )
        rows.append(dict(zip(names, cells, strict=True)))
    return rows


def _pick(available: dict[str, str], explicit: str | None, candidates: tuple[str, ...]) -> str | None:
    """The actual column name: the one the operator named, or the first usual one present."""
    if explicit is not None:
        actual = available.get(explicit.upper())
        if actual is None:
            raise DictionaryFileError(
                _("В файле нет столбца «%(column)s». Есть: %(present)s.")
                % {"column": explicit, "present": ", ".join(available.values())}
            )
        return actual
    for candidate in candidates:
        if candidate in available:
            return available[candidate]
    return None


def _entries(rows: list[dict[str, Any]], *, first_row: int, where: str, columns: Columns) -> Export:
    available: dict[str, str] = {}
    for row in rows:
        for key in row:
            available.setdefault(key.upper(), key)
    code_col = _pick(available, columns.code, CODE_COLUMNS)
    name_col = _pick(available, columns.name, NAME_COLUMNS)
    if code_col is None:
        raise DictionaryFileError(
            _("Не найден столбец кода (искали %(searched)s); укажите его: --code-column. Есть: %(present)s.")
            % {"searched": ", ".join(CODE_COLUMNS), "present": ", ".join(available.values())}
        )
    if name_col is None:
        raise DictionaryFileError(
            _(
                "Не найден столбец наименования (искали %(searched)s); укажите его: "
                "--name-column. Есть: %(present)s."
            )
            % {"searched": ", ".join(NAME_COLUMNS), "present": ", ".join(available.values())}
        )
    parent_col = _pick(available, columns.parent, PARENT_COLUMNS)
    from_col = _pick(available, None, VALID_FROM_COLUMNS)
    to_col = _pick(available, None, VALID_TO_COLUMNS)
    actual_col = _pick(available, None, ACTUAL_COLUMNS)
    structural = {code_col, name_col, parent_col, from_col, to_col}

    entries: list[EntryData] = []
    retired: set[str] = set()
    for number, row in enumerate(rows, start=first_row):
        if not row:
            continue
        code = _text(row.get(code_col))
        if not code:
            raise DictionaryFileError(
                _("%(where)s %(number)s: в столбце «%(column)s» пустое значение кода.")
                % {"where": where, "number": number, "column": code_col}
            )
        name = _text(row.get(name_col))
        if not name:
            raise DictionaryFileError(
                _("%(where)s %(number)s: в столбце «%(column)s» пустое наименование (код «%(code)s»).")
                % {"where": where, "number": number, "column": name_col, "code": code}
            )
        parent = _text(row.get(parent_col)) if parent_col else ""
        valid_to = parse_date(row.get(to_col), row=number, column=to_col, where=where) if to_col else None
        if actual_col and valid_to is None and _text(row.get(actual_col)).lower() in _FALSE:
            retired.add(code)
        entries.append(
            EntryData(
                code=code,
                name=name,
                row=number,
                parent_code=parent or None,
                valid_from=parse_date(row.get(from_col), row=number, column=from_col, where=where)
                if from_col
                else None,
                valid_to=valid_to,
                attrs={key: value for key, value in row.items() if key not in structural},
            )
        )
    check_entries(entries, where=where)
    return Export(entries=entries, retired_without_date=frozenset(retired), where=where)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # JSON exports sometimes carry numeric codes as 12.0.
        value = int(value)
    return str(value).strip()
