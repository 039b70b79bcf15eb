"""Reading an import file row by row with bounded memory: XLSX (openpyxl read-only) and CSV.

CSV: UTF-8 with or without BOM, or Windows-1251 (chosen when the bytes are not valid UTF-8); the
delimiter is `;` or `,`, whichever the header line has more of. Every value comes out as text
(dates of XLSX cells as ДД.ММ.ГГГГ), keyed by column key; unknown columns are reported once.
"""

from __future__ import annotations

import codecs
import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError

from frmr.imports.columns import BY_KEY, HEADER_KEYS, normalize_header

SNIFF_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class FileRows:
    """The rows of one file: `rows` yields (row number as the spreadsheet shows it, {key: text})."""

    format: str
    encoding: str
    keys: list[str | None]
    unknown_headers: list[str] = field(default_factory=list)

    def missing_required(self) -> list[str]:
        return [BY_KEY["snils"].header] if "snils" not in self.keys else []


def detect_format(name: str, head: bytes) -> str:
    if head.startswith(XLSX_MAGIC) or name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_keys(cells: list[Any]) -> tuple[list[str | None], list[str]]:
    keys: list[str | None] = []
    unknown: list[str] = []
    for cell in cells:
        text = _cell_text(cell)
        key = HEADER_KEYS.get(normalize_header(text))
        keys.append(key)
        if key is None and text:
            unknown.append(text)
    return keys, unknown


def _as_row(keys: list[str | None], cells: list[Any] | tuple[Any, ...]) -> dict[str, str] | None:
    row = {key: _cell_text(cell) for key, cell in zip(keys, cells, strict=False) if key}
    return row if any(row.values()) else None


def _csv_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # A cut in the middle of a multi-byte letter at the end of the sample is not an error.
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            return "cp1251"
    return "utf-8"


def _csv_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def open_rows(path: Path, *, name: str = "") -> tuple[FileRows, Iterator[tuple[int, dict[str, str]]]]:
    """The file's header and an iterator of its non-empty data rows; ValidationError if unreadable."""
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if detect_format(name or path.name, head) == "xlsx":
        return _xlsx_rows(path)
    return _csv_rows(path, head)


def _csv_rows(path: Path, head: bytes) -> tuple[FileRows, Iterator[tuple[int, dict[str, str]]]]:
    encoding = _csv_encoding(head)
    stream: IO[str] = path.open("r", encoding=encoding, newline="")
    try:
        first_line = stream.readline()
    except UnicodeDecodeError:
        stream.close()
        raise ValidationError(
            "Файл не читается ни как UTF-8, ни как Windows-1251: сохраните его как «CSV UTF-8»."
        ) from None
    delimiter = _csv_delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    keys, unknown = _header_keys(list(header))
    info = FileRows(format="csv", encoding=encoding, keys=keys, unknown_headers=unknown)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with stream:
            reader = csv.reader(stream, delimiter=delimiter)
            try:
                for number, cells in enumerate(reader, start=2):
                    row = _as_row(keys, cells)
                    if row is not None:
                        yield number, row
            except UnicodeDecodeError as error:
                raise ValidationError(
                    f"В файле встретились байты, которые не читаются в кодировке {encoding}: "
                    "сохраните файл целиком в одной кодировке (лучше «CSV UTF-8»)."
                ) from error

    return info, rows()


def _xlsx_rows(path: Path) -> tuple[FileRows, Iterator[tuple[int, dict[str, str]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError(
            "Файл не читается как книга Excel (XLSX). Сохраните его в формате XLSX или CSV."
        ) from error
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = next(cells, ())
    keys, unknown = _header_keys(list(header))
    info = FileRows(format="xlsx", encoding="", keys=keys, unknown_headers=unknown)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(cells, start=2):
                row = _as_row(keys, values)
                if row is not None:
                    yield number, row
        finally:
            book.close()

    return info, rows()


def count_rows(path: Path, *, name: str = "") -> int:
    """How many data rows the file has (for the progress bar); cheap next to the import itself."""
    _, rows = open_rows(path, name=name)
    return sum(1 for _ in rows)
