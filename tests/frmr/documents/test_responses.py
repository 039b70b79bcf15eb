from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory

from frmr.documents.responses import serve_private_file
from frmr.documents.storage import document_delete, document_storage, document_store
from tests import pdfs


def test_a_stored_file_is_sent_as_a_pdf_attachment_with_its_unicode_name() -> None:
    data = pdfs.pdf_bytes()
    stored = document_store(file=SimpleUploadedFile("x", data), original_name="Диплом «СПбГМУ».pdf")
    response = serve_private_file(
        RequestFactory().get("/"),
        storage_name=stored.storage_name,
        display_name=stored.display_name,
        inline=False,
    )
    assert b"".join(response.streaming_content) == data  # type: ignore[arg-type]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%D0%94%D0%B8%D0%BF%D0%BB%D0%BE%D0%BC" in disposition
    assert "sandbox" in response["Content-Security-Policy"]


def test_inline_documents_open_in_the_browser_sandboxed() -> None:
    stored = document_store(file=SimpleUploadedFile("скан.pdf", pdfs.pdf_bytes()))
    response = serve_private_file(
        RequestFactory().get("/"),
        storage_name=stored.storage_name,
        display_name=stored.display_name,
        inline=True,
    )
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_missing_file_is_404() -> None:
    with pytest.raises(Http404):
        serve_private_file(
            RequestFactory().get("/"), storage_name="documents/none.pdf", display_name="a.pdf", inline=True
        )


def test_refused_files_are_not_stored_and_deleting_is_idempotent() -> None:
    from django.core.exceptions import ValidationError

    storage = document_storage()
    with pytest.raises(ValidationError):
        document_store(file=SimpleUploadedFile("a.pdf", pdfs.PNG_BYTES))
    stored = document_store(file=SimpleUploadedFile("a.pdf", pdfs.pdf_bytes()))
    assert storage.exists(stored.storage_name)
    document_delete(storage_name=stored.storage_name)
    document_delete(storage_name=stored.storage_name)
    assert not storage.exists(stored.storage_name)


def test_no_media_url_route_serves_documents(client) -> None:  # type: ignore[no-untyped-def]
    stored = document_store(file=SimpleUploadedFile("a.pdf", pdfs.pdf_bytes()))
    assert client.get("/media/" + stored.storage_name).status_code == 404
