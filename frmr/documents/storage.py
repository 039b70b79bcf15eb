"""Saving and removing document files through Django's storage API (file system or S3 by settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
