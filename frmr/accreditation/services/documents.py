"""The documents of an application: one file per row, put, replaced or removed by the worker while the
row may change (`Application.row_editable`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accounts.models import User
from frmr.accreditation.models import Application, ApplicationDocument, ApplicationStatus
from frmr.accreditation.requirements import requirement_for, row_key
from frmr.accreditation.services._common import delete_file_on_commit, lock_own, require_status
from frmr.documents.storage import document_delete, document_store

S = ApplicationStatus


def application_document_attach(
    *,
    application: Application,
    actor: User,
    doc_type: str,
    row: int,
    storage_name: str,
    original_name: str,
    size: int,
    sha256: str,
    page_count: int,
) -> ApplicationDocument:
    """Put an already checked and stored file (see frmr.documents) into one row, replacing the file that
    was there. The replaced file is removed from the storage after the transaction commits."""
    with transaction.atomic():
        application = lock_own(application, actor)
        _require_row_editable(application, doc_type, row)
        existing = ApplicationDocument.objects.filter(
            application=application, doc_type=doc_type, row=row
        ).first()
        if existing is not None:
            delete_file_on_commit(existing.storage_name)
            existing.storage_name = storage_name
            existing.original_name = original_name[:255]
            existing.size = size
            existing.sha256 = sha256
            existing.page_count = page_count
            existing.uploaded_at = timezone.now()
            existing.save()
            document = existing
        else:
            document = ApplicationDocument.objects.create(
                application=application,
                doc_type=doc_type,
                row=row,
                storage_name=storage_name,
                original_name=original_name[:255],
                size=size,
                sha256=sha256,
                page_count=page_count,
            )
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
    return document


def application_document_upload(
    *, application: Application, actor: User, doc_type: str, row: int, file: Any
) -> ApplicationDocument:
    """Check and store an uploaded file (frmr.documents), then put it into one row. When the row refuses
    it, the stored file is removed again: a refused upload leaves nothing in the storage."""
    stored = document_store(file=file)
    try:
        return application_document_attach(
            application=application,
            actor=actor,
            doc_type=doc_type,
            row=row,
            storage_name=stored.storage_name,
            original_name=stored.display_name,
            size=stored.size,
            sha256=stored.sha256,
            page_count=stored.pages,
        )
    except (ValidationError, PermissionDenied):
        document_delete(storage_name=stored.storage_name)
        raise


def application_document_remove(*, application: Application, actor: User, doc_type: str, row: int) -> None:
    """Remove the file of one row (before submission, or a row returned for revision)."""
    with transaction.atomic():
        application = lock_own(application, actor)
        _require_row_editable(application, doc_type, row)
        document = ApplicationDocument.objects.filter(
            application=application, doc_type=doc_type, row=row
        ).first()
        if document is None:
            return
        delete_file_on_commit(document.storage_name)
        document.delete()
        # A removed file is a change of the draft too (its idle period starts again: retention.py).
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())


def _require_row_editable(application: Application, doc_type: str, row: int) -> None:
    require_status(application, [S.DRAFT, S.RETURNED], _("изменить документы"))
    key = row_key(doc_type, row)
    requirement = requirement_for(application.kind_code, doc_type)
    if requirement is None:
        raise ValidationError({key: _("Этот документ не требуется для выбранного вида аккредитации.")})
    if row < 0 or row >= requirement.max_rows:
        message = (
            _("Можно приложить не больше %(count)s файлов этого вида.") % {"count": requirement.max_rows}
            if requirement.repeatable
            else _("Для этого документа предусмотрена одна строка.")
        )
        raise ValidationError({key: message})
    if not application.row_editable(doc_type, row):
        raise ValidationError(
            {key: _("Центр не просил исправлять этот документ: менять можно только отмеченные строки.")}
        )
