"""The worker's cabinet with documents on S3-compatible storage: upload through the row endpoint,
download only through the permission check (decision 0004: streamed through the application)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application
from tests import pdfs
from tests.s3server import client
from tests.web.lk.application.conftest import (  # noqa: F401 (fixtures of the application form)
    complete_draft,
    dictionaries,
    draft,
    login,
    pdf_upload,
    practising,
)


@pytest.fixture(autouse=True)
def _documents_on_s3(s3_documents: str) -> str:
    return s3_documents


@pytest.fixture
def sent(complete_draft: Application, practising: User) -> Application:  # noqa: F811
    return services.application_submit(application=complete_draft, actor=practising)


def download(document_pk: int, inline: bool = False) -> str:
    return reverse("lk:document_download", kwargs={"pk": document_pk}) + ("?inline=1" if inline else "")


def test_a_row_upload_lands_in_the_bucket_encrypted(
    login: Any,  # noqa: F811
    complete_draft: Application,  # noqa: F811
    practising: User,  # noqa: F811
    s3_documents: str,
    s3_endpoint: str,
) -> None:
    data = pdfs.pdf_bytes(3)
    response = login(practising).post(
        reverse("lk:application_upload", kwargs={"pk": complete_draft.pk}),
        {"doc_type": "portfolio", "row": "0", "file": pdf_upload("портфолио.pdf", pages=3)},
    )
    assert response.status_code == 200, response.content
    document = complete_draft.documents.get(doc_type="portfolio")
    head = client(s3_endpoint).head_object(Bucket=s3_documents, Key=document.storage_name)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == document.size == len(data)


def test_the_owner_downloads_the_object_through_the_cabinet(
    login: Any,  # noqa: F811
    sent: Application,
    practising: User,  # noqa: F811
) -> None:
    document = sent.documents.get(doc_type="passport")
    response = login(practising).get(download(document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == document.size
    assert response["Content-Length"] == str(document.size)


def test_centre_staff_open_a_sent_document_inline(login: Any, sent: Application, fac_staff: User) -> None:  # noqa: F811
    response = login(fac_staff).get(download(sent.documents.get(doc_type="passport").pk, inline=True))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("role", ["other_worker", "operator_a"])
def test_others_get_404_and_no_object_is_read(
    login: Any,  # noqa: F811
    sent: Application,
    role: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from frmr.documents.s3 import DocumentS3Storage

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the storage was read for a user without the right")

    monkeypatch.setattr(DocumentS3Storage, "open_stream", refuse)
    user = request.getfixturevalue(role)
    assert login(user).get(download(sent.documents.get(doc_type="passport").pk)).status_code == 404


def test_staff_get_404_for_a_draft(login: Any, complete_draft: Application, fac_staff: User) -> None:  # noqa: F811
    assert (
        login(fac_staff).get(download(complete_draft.documents.get(doc_type="passport").pk)).status_code
        == 404
    )
