"""Reading an import file row by row with bounded memory: XLSX (openpyxl read-only) and CSV.

CSV: UTF-8 with or without BOM, or Windows-1251 (chosen when the bytes are not valid UTF-8); the
delimiter is `;` or `,`, whichever the header line has more of. Every value comes out as text
(dates of XLSX cells as ДД.ММ.ГГГГ), keyed by column key; unknown columns are reported once.

A file is hostile until read: `inspect_file` reads it once in a child process with a memory ceiling
and a time limit (frmr/core/bounded.py) before the import reads it for real, and an XLSX archive's
table of contents is checked first for what a decompression bomb looks like (docs/import.md).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.core.bounded import LimitExceeded, run_bounded
from frmr.imports.columns import BY_KEY, HEADER_KEYS, normalize_header

SNIFF_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
MAX_HEADER_CHARS = 64 * 1024  # the template's header line is about 600 characters

# An XLSX file is a zip archive. Its table of contents says how much each part unpacks to (Python's
# zipfile never unpacks more than that: a part that lies fails its checksum), so a bomb shows itself
# before anything is unpacked: a huge table of contents, too many parts, too much in all, or a part
# packed far tighter than any table of real people (a sheet of 20,000 employees packs about 20:1).
ZIP_END = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP_DIRECTORY_MAX_BYTES = 1024 * 1024
ZIP_MAX_MEMBERS = 1000
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM_BYTES = 1024 * 1024  # smaller parts may pack as tightly as they like

MESSAGE_NOT_XLSX = gettext_lazy(
    "Файл не читается как книга Excel (XLSX). Сохраните его в формате XLSX или CSV."
)
MESSAGE_ZIP_BOMB = gettext_lazy(
    "Файл XLSX устроен подозрительно: внутри него упаковано намного больше данных, чем бывает в таблице "
    "сотрудников, и читать его небезопасно. Откройте файл в Excel и сохраните его заново (XLSX или "
    "«CSV UTF-8»); если он действительно так велик, разделите его на несколько."
)
MESSAGE_TOO_HEAVY = gettext_lazy(
    "Файл не удалось прочитать: его чтение требует больше памяти или времени, чем допустимо. "
    "Разделите файл на несколько или сохраните его как «CSV UTF-8»."
)
# With the `limit` (ValidationError's params), in digits grouped by spaces.
MESSAGE_LONG_HEADER = gettext_lazy(
    "Первая строка файла длиннее %(limit)s знаков — это не заголовки столбцов. "
    "Первая строка — заголовки, как в шаблоне."
)


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
        check_archive(path)
        return _xlsx_rows(path)
    return _csv_rows(path, head)


def inspect_file(path: Path, *, name: str = "") -> int:
    """Read the whole file once in a bounded child process; its number of data rows.

    ValidationError (a Russian message) when the file cannot be read, looks like a decompression bomb,
    or its reading needs more than `FILE_CHECK_MEMORY_BYTES` of memory or `IMPORT_CHECK_SECONDS`.
    A file that passes is read again by the import within about the same memory.
    """
    try:
        return run_bounded(
            count_rows,
            path,
            name=name,
            memory_bytes=settings.FILE_CHECK_MEMORY_BYTES,
            seconds=settings.IMPORT_CHECK_SECONDS,
        )
    except LimitExceeded as error:
        raise ValidationError(MESSAGE_TOO_HEAVY, code="too_complex") from error


def check_archive(path: Path) -> None:
    """Refuse an XLSX archive whose table of contents promises a decompression bomb (nothing unpacked)."""
    with path.open("rb") as raw:
        size = raw.seek(0, 2)
        window = min(size, 0xFFFF + 22)  # the end record and the longest comment it may carry
        raw.seek(size - window)
        tail = raw.read(window)
    end = tail.rfind(ZIP_END)
    if end < 0 or len(tail) < end + 22:
        raise ValidationError(MESSAGE_NOT_XLSX, code="not_xlsx")
    entries, directory_bytes = struct.unpack("<HI", tail[end + 10 : end + 16])
    # Excel never writes a zip64 archive for a sheet of employees; zipfile would trust its sizes.
    zip64 = end >= 20 and tail[end - 20 : end - 16] == ZIP64_LOCATOR
    if zip64 or entries > ZIP_MAX_MEMBERS or directory_bytes > ZIP_DIRECTORY_MAX_BYTES:
        raise ValidationError(MESSAGE_ZIP_BOMB, code="zip_bomb")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(MESSAGE_NOT_XLSX, code="not_xlsx") from error
    unpacked = sum(member.file_size for member in members)
    packed_tight = any(
        member.file_size >= ZIP_RATIO_FROM_BYTES
        and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > ZIP_MAX_MEMBERS or unpacked > settings.IMPORT_MAX_UNPACKED_BYTES or packed_tight:
        raise ValidationError(MESSAGE_ZIP_BOMB, code="zip_bomb")


def _csv_rows(path: Path, head: bytes) -> tuple[FileRows, Iterator[tuple[int, dict[str, str]]]]:
    encoding = _csv_encoding(head)
    stream: IO[str] = path.open("r", encoding=encoding, newline="")
    try:
        first_line = stream.readline(MAX_HEADER_CHARS + 1)
    except UnicodeDecodeError:
        stream.close()
        raise ValidationError(
            _("Файл не читается ни как UTF-8, ни как Windows-1251: сохраните его как «CSV UTF-8».")
        ) from None
    if len(first_line) > MAX_HEADER_CHARS:
        stream.close()
        raise ValidationError(
            MESSAGE_LONG_HEADER, code="long_header", params={"limit": _grouped(MAX_HEADER_CHARS)}
        )
    delimiter = _csv_delimiter(first_line)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error as error:
        stream.close()
        raise ValidationError(_csv_error_message(1, error), code="bad_csv") from error
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
                    _(
                        "В файле встретились байты, которые не читаются в кодировке %(encoding)s: "
                        "сохраните файл целиком в одной кодировке (лучше «CSV UTF-8»)."
                    )
                    % {"encoding": encoding}
                ) from error
            except csv.Error as error:
                # The reader started after the header line, which it did not count.
                line = reader.line_num + 1
                raise ValidationError(_csv_error_message(line, error), code="bad_csv") from error

    return info, rows()


def _csv_error_message(line: int, error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return _(
            "Строка %(line)s: в ячейке больше %(limit)s знаков. Так бывает, когда в файле не закрыта "
            'кавычка «"»: проверьте эту строку и строки перед ней.'
        ) % {"line": line, "limit": _grouped(csv.field_size_limit())}
    return _('Строка %(line)s не читается как строка таблицы CSV: проверьте кавычки «"» в ней.') % {
        "line": line
    }


def _grouped(number: int) -> str:
    """65 536: the digits in groups of three, as the messages write a large number."""
    return f"{number:,}".replace(",", " ")


def _xlsx_rows(path: Path) -> tuple[FileRows, Iterator[tuple[int, dict[str, str]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except MemoryError:
        raise  # the bounded reading's ceiling: not a damaged file
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError(MESSAGE_NOT_XLSX, code="not_xlsx") from error
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    try:
        header = next(cells, ())
    except MemoryError:
        book.close()
        raise
    except Exception as error:  # the same: a damaged first row
        book.close()
        raise ValidationError(MESSAGE_NOT_XLSX, code="not_xlsx") from error
    keys, unknown = _header_keys(list(header))
    info = FileRows(format="xlsx", encoding="", keys=keys, unknown_headers=unknown)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(cells, start=2):
                row = _as_row(keys, values)
                if row is not None:
                    yield number, row
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, SyntaxError) as error:
            # A damaged part (its checksum, its XML) shows only while the rows are read.
            raise ValidationError(MESSAGE_NOT_XLSX, code="not_xlsx") from error
        finally:
            book.close()

    return info, rows()


def count_rows(path: Path, *, name: str = "") -> int:
    """How many data rows the file has (for the progress bar); cheap next to the import itself."""
    _, rows = open_rows(path, name=name)
    return sum(1 for _ in rows)
