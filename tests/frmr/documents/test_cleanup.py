"""Unreferenced document files are removed by the sweep once no upload can still be writing their row."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation.services.worker import application_create_draft
from frmr.documents.cleanup import GRACE, REFERENCES, documents_remove_orphans
from frmr.documents.storage import document_storage
from frmr.taskqueue.periodic import sweep
from tests.accreditation_dictionaries import dictionaries  # noqa: F401 - autouse
from tests.accreditation_helpers import PDF_BYTES, attach


def _write(name: str, *, age: datetime.timedelta) -> Path:
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF_BYTES)
    moment = (timezone.now() - age).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_an_old_file_nobody_names_is_removed_and_the_rest_stay(worker: User) -> None:
    application = application_create_draft(actor=worker)
    document = attach(application, worker, "diploma", 0)
    document.storage_name = "documents/2026/01/named.pdf"
    document.save(update_fields=["storage_name"])
    named = _write(document.storage_name, age=GRACE * 3)
    abandoned = _write("documents/2026/01/abandoned.pdf", age=GRACE * 2)
    uploading = _write("documents/2026/12/uploading.pdf", age=datetime.timedelta(minutes=5))

    assert documents_remove_orphans() == 1

    assert named.exists() and uploading.exists()
    assert not abandoned.exists()
    assert documents_remove_orphans() == 0  # a second round finds nothing more


def test_the_sweep_runs_the_clean_up(db: None) -> None:
    abandoned = _write("documents/2025/05/abandoned.pdf", age=GRACE * 2)
    assert sweep()["documents_orphans_removed"] == 1
    assert not abandoned.exists()


def test_an_empty_storage_is_no_error(db: None) -> None:
    assert not document_storage().exists("documents")
    assert documents_remove_orphans() == 0


def test_every_reference_names_a_real_column() -> None:
    for label, field in REFERENCES:
        assert apps.get_model(label)._meta.get_field(field).get_internal_type() == "CharField"
