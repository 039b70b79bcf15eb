"""Checking that an uploaded file is a usable PDF, by its content (never by its name or content type).

The cheap checks (size, header, end marker, hash) read the file here; opening it with pikepdf runs in
a child process with a memory ceiling and a time limit (frmr/core/bounded.py, docs/uploads.md),
because qpdf unpacks compressed object streams in full and a small file can unpack to gigabytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass
from typing import IO, Any

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.core.bounded import LimitExceeded, run_bounded

# How far into the file a PDF header may start (the PDF specification allows leading junk; readers
# look at the first kilobyte) and how far from the end the final %%EOF marker may sit.
HEADER_WINDOW = 1024
TRAILER_WINDOW = 2048
HASH_CHUNK = 1024 * 1024

MESSAGE_EMPTY = gettext_lazy("Файл пустой. Выберите PDF-файл с отсканированным документом.")
MESSAGE_NOT_PDF = gettext_lazy(
    "Файл не является документом PDF. Загрузите скан документа в формате PDF "
    "(другие форматы, например фото или веб-страницы, не принимаются)."
)
MESSAGE_DAMAGED = gettext_lazy(
    "Файл PDF повреждён или загружен не полностью. Сохраните его заново и загрузите ещё раз."
)
MESSAGE_ENCRYPTED = gettext_lazy(
    "Файл PDF защищён паролем или зашифрован. Снимите защиту и загрузите файл ещё раз."
)
MESSAGE_NO_PAGES = gettext_lazy("В файле PDF нет ни одной страницы. Загрузите файл со сканом документа.")
MESSAGE_TOO_COMPLEX = gettext_lazy(
    "Файл PDF устроен слишком сложно: его проверка требует больше памяти или времени, чем допустимо "
    "(так бывает с повреждёнными или специально составленными файлами). Сохраните документ заново, "
    "например через «Печать» → «Сохранить как PDF», или отсканируйте его ещё раз и загрузите снова."
)

# Structures that take qpdf seconds to parse however little memory they need; a scan of a document has
# hundreds of objects. Read from the file's bytes before qpdf sees it (streams packed inside object
# streams are bounded by the unpacking limit and the time limit instead).
MAX_OBJECTS = 500_000  # the largest /Size a cross-reference section may declare
MAX_REFERENCES = 250_000  # indirect references ("12 0 R") written in the file outside packed streams

# The most a single stream may unpack to while checking (content streams of a page, object and
# cross-reference streams); a page of a scan needs kilobytes. Images are never unpacked by the check.
DECODE_SHARE = 16  # a sixteenth of the check's memory ceiling: 32 MB by default


def too_large_message(max_bytes: int | None = None) -> str:
    limit = settings.DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    return _(
        "Файл больше %(megabytes)s МБ. Уменьшите его (например, отсканируйте с меньшим "
        "разрешением) и загрузите снова."
    ) % {"megabytes": format_megabytes(limit)}


def format_megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}".replace(".", ",")


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    size: int
    sha256: str


def validate_pdf(file: Any, *, max_bytes: int | None = None) -> PdfInfo:
    """Return the page count, size and SHA-256 of a PDF, or raise ValidationError with a Russian message.

    `file` is an UploadedFile, a django File or a binary file object. Large files are never read into
    memory: hashing goes by chunks and pikepdf opens a temporary upload by its path, lazily.
    """
    limit = settings.DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    stream: IO[bytes] = file.file if hasattr(file, "file") and file.file is not None else file
    size = _size(stream)
    if size == 0:
        raise ValidationError(MESSAGE_EMPTY, code="empty")
    if size > limit:
        raise ValidationError(too_large_message(limit), code="too_large")

    stream.seek(0)
    head = stream.read(HEADER_WINDOW)
    if b"%PDF-" not in head:
        raise ValidationError(MESSAGE_NOT_PDF, code="not_pdf")
    stream.seek(max(0, size - TRAILER_WINDOW))
    # A file cut short in transfer loses its end first; qpdf would "recover" what is left, so the
    # missing end-of-file marker is the reliable sign of a truncated document.
    if b"%%EOF" not in stream.read(TRAILER_WINDOW):
        raise ValidationError(MESSAGE_DAMAGED, code="damaged")

    pages = _count_pages(file, stream)
    return PdfInfo(pages=pages, size=size, sha256=_sha256(stream))


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(HASH_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _count_pages(file: Any, stream: IO[bytes]) -> int:
    if hasattr(file, "temporary_file_path"):
        source: Any = file.temporary_file_path()
    else:
        source = stream
    try:
        pages = run_bounded(
            _open_and_count,
            source,
            memory_bytes=settings.FILE_CHECK_MEMORY_BYTES,
            seconds=settings.DOCUMENT_CHECK_SECONDS,
            prepare=_decode_limits,
        )
    except LimitExceeded as exc:
        raise ValidationError(MESSAGE_TOO_COMPLEX, code="too_complex") from exc
    finally:
        stream.seek(0)
    if pages == 0:
        raise ValidationError(MESSAGE_NO_PAGES, code="no_pages")
    return pages


class _LimitWatch(logging.Handler):
    """Notices qpdf reporting an exceeded limit: qpdf goes on with a warning and fails later,
    e.g. «unable to find /Root» once the object stream holding the catalog was not unpacked."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.hit = False

    def emit(self, record: logging.LogRecord) -> None:
        if "limit exceeded" in record.getMessage():
            self.hit = True


_watch = _LimitWatch()


def _decode_limits() -> None:
    """In the child: qpdf's own unpacking limits (process-wide, hence only there), and the watch."""
    limit = settings.FILE_CHECK_MEMORY_BYTES // DECODE_SHARE
    pikepdf.settings.set_qpdf_limits(
        flate_max_memory=limit,
        png_max_memory=limit,
        tiff_max_memory=limit,
        run_length_max_memory=limit,
        dct_max_memory=limit,
    )
    qpdf_log = logging.getLogger("pikepdf._core")
    qpdf_log.handlers = [_watch]
    qpdf_log.propagate = False  # the warnings about a hostile file are not worth the parent's log


def _open_and_count(source: Any) -> int:
    """In the child: open the PDF, refuse it if encrypted or damaged, count its pages."""
    if not isinstance(source, str):
        source = _private_copy(source)
    _check_structure_size(source)
    try:
        with pikepdf.open(source, suppress_warnings=False) as pdf:
            if pdf.is_encrypted:
                # Opened with the empty user password, but copying and printing may be restricted,
                # and the centre must be able to read and print every page.
                raise ValidationError(MESSAGE_ENCRYPTED, code="encrypted")
            if any("unable to find trailer" in warning for warning in pdf.get_warnings()):
                raise ValidationError(MESSAGE_DAMAGED, code="damaged")
            pages = len(pdf.pages)
            _unpack_page_contents(pdf)
    except pikepdf.PasswordError as exc:
        raise ValidationError(MESSAGE_ENCRYPTED, code="encrypted") from exc
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, RuntimeError, KeyError) as exc:
        if _watch.hit or "limit exceeded" in str(exc):
            raise ValidationError(MESSAGE_TOO_COMPLEX, code="too_complex") from exc
        raise ValidationError(MESSAGE_DAMAGED, code="damaged") from exc
    if _watch.hit:
        raise ValidationError(MESSAGE_TOO_COMPLEX, code="too_complex")
    return pages


def _unpack_page_contents(pdf: pikepdf.Pdf) -> None:
    """Unpack every page's content stream within qpdf's limits: what a viewer does to show a page.

    One that unpacks beyond the limit is refused (the caller sees the error); one that cannot be
    unpacked for another reason is left to the viewer, as before this check existed.
    """
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        parts = contents if isinstance(contents, pikepdf.Array) else [contents]
        for part in parts:
            if isinstance(part, pikepdf.Stream):
                try:
                    part.read_bytes()
                except pikepdf.PdfError as exc:
                    if "limit exceeded" in str(exc):
                        raise


def _check_structure_size(source: str | IO[bytes]) -> None:
    """Refuse a cross-reference section or a web of references far beyond any real document's."""
    if isinstance(source, str):
        with open(source, "rb") as file:
            data = file.read()
    else:
        source.seek(0)
        data = source.read()
        source.seek(0)
    references = data.count(b" R") + data.count(b"\nR") + data.count(b"\rR")
    if references > MAX_REFERENCES or _largest_size(data) > MAX_OBJECTS:
        raise ValidationError(MESSAGE_TOO_COMPLEX, code="too_complex")


def _largest_size(data: bytes) -> int:
    """The largest number after a /Size key (trailers and cross-reference streams declare it)."""
    largest = 0
    position = data.find(b"/Size")
    while position >= 0:
        start = position + 5
        while start < len(data) and data[start] in b" \t\r\n\x00\x0c":
            start += 1
        end = start
        while end < len(data) and end - start < 20 and 48 <= data[end] <= 57:
            end += 1
        if end > start:
            largest = max(largest, int(data[start:end]))
        position = data.find(b"/Size", start)
    return largest


def _private_copy(stream: IO[bytes]) -> IO[bytes]:
    """The child's own view of the upload, never moving the read position the parent shares with it.

    A file object's descriptor (and so its offset) is shared with the parent after fork; reading it
    with pread leaves the offset alone. A stream in memory is the child's private copy already.
    """
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        stream.seek(0)
        return stream
    size = os.fstat(descriptor).st_size
    return io.BytesIO(os.pread(descriptor, size, 0))
