"""Saving and removing document files through Django's storage API (file system or S3 by settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import Storage, storages

from frmr.core.observability import metrics
from frmr.documents.names import new_storage_name, sanitize_display_name
from frmr.documents.pdf import PdfInfo, validate_pdf


@dataclass(frozen=True)
class StoredDocument:
    storage_name: str
    display_name: str
    pages: int
    size: int
    sha256: str


def document_storage() -> Storage:
    return storages[settings.DOCUMENT_STORAGE_ALIAS]


def document_store(*, file: Any, original_name: str | None = None) -> StoredDocument:
    """Check an uploaded file (PDF by content, size) and save it under a generated name.

    Raises ValidationError (Russian message) when the file is refused; nothing is stored then.
    Callers that also write a database row should delete the file if their transaction fails
    (see `document_delete` and `transaction.on_commit`).
    """
    info: PdfInfo = validate_pdf(file)
    file.seek(0)
    saved_name = document_storage().save(new_storage_name(), file)
    metrics.UPLOAD_BYTES.labels("document").observe(info.size)
    return StoredDocument(
        storage_name=saved_name,
        display_name=sanitize_display_name(original_name if original_name is not None else file.name),
        pages=info.pages,
        size=info.size,
        sha256=info.sha256,
    )


def document_delete(*, storage_name: str) -> None:
    """Remove a stored file; a file already gone is not an error (removal may be retried)."""
    if storage_name:
        document_storage().delete(storage_name)


def document_open(*, storage_name: str) -> tuple[IO[bytes], int | None]:
    """A stored file opened for streaming to a client, and its size when the storage tells it cheaply.

    Object storage hands out the object's body as it arrives (`open_stream`); `Storage.open` of the S3
    backend would first copy the whole object into a temporary file. Raises FileNotFoundError.
    """
    storage = document_storage()
    open_stream = getattr(storage, "open_stream", None)
    if open_stream is not None:
        stream, size = open_stream(storage_name)
        return stream, size
    return storage.open(storage_name, "rb"), None
