from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application
from frmr.accreditation.requirements import requirements_for
from frmr.nsi import oids
from frmr.nsi.services import dictionaries_load
from tests import pdfs
from tests.factories import AccreditationRecordFactory

SPECIALTY = "1001"  # Лечебное дело: высшее образование, врачебные специальности


@pytest.fixture(autouse=True)
def dictionaries(db: None) -> None:
    dictionaries_load(
        only=[oids.EDUCATION_LEVELS, oids.SPECIALTY_KINDS, oids.SPECIALTIES, oids.ACCREDITATION_KINDS]
    )


@pytest.fixture
def practising(worker: User) -> User:
    """The cast's worker (a current card) with a previous accreditation: a practising specialist."""
    AccreditationRecordFactory(person=worker.person)
    return worker


@pytest.fixture
def draft(practising: User) -> Application:
    return services.application_create_draft(actor=practising)


def pdf_upload(name: str = "скан.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdfs.pdf_bytes(pages), content_type="application/pdf")


def typed_fields(**overrides: Any) -> dict[str, Any]:
    data = {
        "contact_phone": "+7 912 345-67-89",
        "contact_email": "doctor@example.ru",
        "education_level": "1",
        "specialty_kind": "1",
        "specialty": SPECIALTY,
        "accreditation_kind": "3",
        "comment": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def complete_draft(draft: Application, practising: User) -> Application:
    """A periodic draft with every field and a real stored PDF in every required row."""
    from frmr.documents.storage import document_store

    fields = typed_fields()
    services.application_update_draft(
        application=draft,
        actor=practising,
        contact_phone=fields["contact_phone"],
        contact_email=fields["contact_email"],
        education_level_code="1",
        specialty_kind_code="1",
        specialty_code=SPECIALTY,
        accreditation_kind_code="3",
        comment="",
        consent=True,
    )
    for requirement in requirements_for("3"):
        if requirement.required:
            stored = document_store(file=pdf_upload(f"{requirement.doc_type}.pdf"))
            services.application_document_attach(
                application=draft,
                actor=practising,
                doc_type=requirement.doc_type,
                row=0,
                storage_name=stored.storage_name,
                original_name=stored.display_name,
                size=stored.size,
                sha256=stored.sha256,
                page_count=stored.pages,
            )
    draft.refresh_from_db()
    return draft


@pytest.fixture
def login(client: Any) -> Callable[[User], Any]:
    def log_in(user: User) -> Any:
        client.force_login(user)
        return client

    return log_in
