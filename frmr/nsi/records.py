"""What a dictionary file says about one entry, independent of where the file came from."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any


class DictionaryFileError(ValueError):
    """A dictionary file cannot be read; the message is Russian and names the row and column."""


@dataclass(frozen=True)
class EntryData:
    code: str
    name: str
    row: int  # where the entry is in its file, for error messages (1-based, as an editor shows it)
    parent_code: str | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    # None keeps the order an existing entry already has (official exports often carry none).
    sort_order: int | None = None


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_RUSSIAN = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})(?: .*)?$")


def parse_date(value: Any, *, row: int, column: str, where: str = "Строка") -> datetime.date | None:
    """Dates as ФРНСИ writes them: `2023-05-02`, `2023-05-02T00:00:00`, `02.05.2023`, `02.05.2023 0:00`."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    iso = _ISO.match(text)
    russian = _RUSSIAN.match(text)
    try:
        if iso:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if russian:
            return datetime.date(int(russian[3]), int(russian[2]), int(russian[1]))
    except ValueError:
        pass
    raise DictionaryFileError(
        f"{where} {row}: в столбце «{column}» значение «{text}» не является датой "
        "(ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)."
    )


def check_entries(entries: list[EntryData], *, where: str = "Строка") -> None:
    """Rules every source shares: a code once per file, a name, a date range that is not reversed."""
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.code in seen:
            raise DictionaryFileError(
                f"{where} {entry.row}: код «{entry.code}» уже встречался в строке {seen[entry.code]}."
            )
        seen[entry.code] = entry.row
        if not entry.name:
            raise DictionaryFileError(
                f"{where} {entry.row}: у записи с кодом «{entry.code}» нет наименования."
            )
        if len(entry.code) > 64:
            raise DictionaryFileError(f"{where} {entry.row}: код «{entry.code}» длиннее 64 символов.")
        if len(entry.name) > 500:
            raise DictionaryFileError(
                f"{where} {entry.row}: наименование записи «{entry.code}» длиннее 500 символов."
            )
        if entry.valid_from and entry.valid_to and entry.valid_to < entry.valid_from:
            raise DictionaryFileError(
                f"{where} {entry.row}: дата окончания действия {entry.valid_to:%d.%m.%Y} раньше даты "
                f"начала {entry.valid_from:%d.%m.%Y}."
            )
