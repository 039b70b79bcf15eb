"""What a dictionary file says about one entry, independent of where the file came from."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
# How an error message names a row of a file by default («Строка 5: …»).
LINE = gettext_lazy("Строка")


def parse_date(value: Any, *, row: int, column: str, where: StrOrPromise = LINE) -> datetime.date | None:
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
        _(
            "%(where)s %(row)s: в столбце «%(column)s» значение «%(text)s» не является датой "
            "(ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)."
        )
        % {"where": where, "row": row, "column": column, "text": text}
    )


def check_entries(entries: list[EntryData], *, where: StrOrPromise = LINE) -> None:
    """Rules every source shares: a code once per file, a name, a date range that is not reversed."""
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.code in seen:
            raise DictionaryFileError(
                _("%(where)s %(row)s: код «%(code)s» уже встречался в строке %(seen)s.")
                % {"where": where, "row": entry.row, "code": entry.code, "seen": seen[entry.code]}
            )
        seen[entry.code] = entry.row
        if not entry.name:
            raise DictionaryFileError(
                _("%(where)s %(row)s: у записи с кодом «%(code)s» нет наименования.")
                % {"where": where, "row": entry.row, "code": entry.code}
            )
        if len(entry.code) > 64:
            raise DictionaryFileError(
                _("%(where)s %(row)s: код «%(code)s» длиннее 64 символов.")
                % {"where": where, "row": entry.row, "code": entry.code}
            )
        if len(entry.name) > 500:
            raise DictionaryFileError(
                _("%(where)s %(row)s: наименование записи «%(code)s» длиннее 500 символов.")
                % {"where": where, "row": entry.row, "code": entry.code}
            )
        if entry.valid_from and entry.valid_to and entry.valid_to < entry.valid_from:
            raise DictionaryFileError(
                _(
                    "%(where)s %(row)s: дата окончания действия %(valid_to)s раньше даты начала "
                    "%(valid_from)s."
                )
                % {
                    "where": where,
                    "row": entry.row,
                    "valid_to": format(entry.valid_to, "%d.%m.%Y"),
                    "valid_from": format(entry.valid_from, "%d.%m.%Y"),
                }
            )
