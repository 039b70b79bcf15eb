"""Checking that an uploaded file is a usable PDF, by its content (never by its name or content type)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO, Any

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError

# How far into the file a PDF header may start (the PDF specification allows leading junk; readers
# look at the first kilobyte) and how far from the end the final %%EOF marker may sit.
HEADER_WINDOW = 1024
TRAILER_WINDOW = 2048
HASH_CHUNK = 1024 * 1024

MESSAGE_EMPTY = "Файл пустой. Выберите PDF-файл с отсканированным документом."
MESSAGE_NOT_PDF = (
    "Файл не является документом PDF. Загрузите скан документа в формате PDF "
    "(другие форматы, например фото или веб-страницы, не принимаются)."
)
MESSAGE_DAMAGED = "Файл PDF повреждён или загружен не полностью. Сохраните его заново и загрузите ещё раз."
MESSAGE_ENCRYPTED = "Файл PDF защищён паролем или зашифрован. Снимите защиту и загрузите файл ещё раз."
MESSAGE_NO_PAGES = "В файле PDF нет ни одной страницы. Загрузите файл со сканом документа."


def too_large_message(max_bytes: int | None = None) -> str:
    limit = settings.DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    return (
        f"Файл больше {format_megabytes(limit)} МБ. Уменьшите его (например, отсканируйте "
        "с меньшим разрешением) и загрузите снова."
    )


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
    source: Any
    if hasattr(file, "temporary_file_path"):
        source = file.temporary_file_path()
    else:
        stream.seek(0)
        source = stream
    try:
        with pikepdf.open(source) as pdf:
            if pdf.is_encrypted:
                # Opened with the empty user password, but copying and printing may be restricted,
                # and the centre must be able to read and print every page.
                raise ValidationError(MESSAGE_ENCRYPTED, code="encrypted")
            if any("unable to find trailer" in warning for warning in pdf.get_warnings()):
                raise ValidationError(MESSAGE_DAMAGED, code="damaged")
            pages = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise ValidationError(MESSAGE_ENCRYPTED, code="encrypted") from exc
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, RuntimeError, KeyError) as exc:
        raise ValidationError(MESSAGE_DAMAGED, code="damaged") from exc
    finally:
        stream.seek(0)
    if pages == 0:
        raise ValidationError(MESSAGE_NO_PAGES, code="no_pages")
    return pages
