"""Removing stored files that no record refers to: uploads abandoned between the storage and the database.

A file is saved before the row that names it is committed (`document_store`, then the caller's
transaction). When the transaction fails, the caller deletes the file on rollback; when the process
dies in between, nothing does, and the file would stay in the storage for ever, unreachable. The sweep
(frmr/taskqueue/periodic.py, once per round across all workers) walks the documents' folders and
removes the files that no row names and that are older than the grace period: no upload in progress
is that old, so the check cannot race a writer.

The rows that name documents are listed here by model label and field, not imported: the documents
package sits below the apps that use it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import Storage
from django.utils import timezone

from frmr.documents.names import DOCUMENTS_PREFIX
from frmr.documents.storage import document_storage

logger = logging.getLogger(__name__)

# (model label, field): every column that holds a document's storage name.
REFERENCES: tuple[tuple[str, str], ...] = (
    ("accreditation.ApplicationDocument", "storage_name"),
    ("corrections.CorrectionRequest", "proof_storage_name"),
)
GRACE = datetime.timedelta(hours=24)
BATCH = 500


def _files(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from _files(storage, f"{folder}/{sub}")


def _referenced(names: list[str]) -> set[str]:
    found: set[str] = set()
    for label, field in REFERENCES:
        model = apps.get_model(label)
        found.update(model._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return found


def documents_remove_orphans(*, now: datetime.datetime | None = None) -> int:
    """Delete unreferenced document files older than GRACE; the number deleted."""
    storage = document_storage()
    cutoff = (now or timezone.now()) - GRACE
    removed = 0
    batch: list[str] = []

    def flush() -> int:
        referenced = _referenced(batch)
        count = 0
        for name in batch:
            if name in referenced:
                continue
            try:
                if storage.get_modified_time(name) >= cutoff:
                    continue
            except (FileNotFoundError, NotImplementedError):
                continue  # gone meanwhile, or a storage that cannot tell: keep it
            storage.delete(name)
            logger.info("removed an unreferenced document file %s", name)
            count += 1
        batch.clear()
        return count

    for name in _files(storage, DOCUMENTS_PREFIX):
        batch.append(name)
        if len(batch) >= BATCH:
            removed += flush()
    if batch:
        removed += flush()
    return removed
