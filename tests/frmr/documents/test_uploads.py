from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile, StopUpload
from django.test import Client

from frmr.documents.uploads import FIELDS_MARGIN, LimitedUploadHandler
from tests import pdfs

MB = 1024 * 1024
CHUNK = 64 * 1024


def chunks(total: int) -> Iterator[bytes]:
    block = b"\0" * CHUNK
    sent = 0
    while sent < total:
        size = min(CHUNK, total - sent)
        sent += size
        yield block[:size]


def feed(handler: LimitedUploadHandler, field: str, total: int) -> int:
    """Give the handler a file of `total` bytes chunk by chunk; return the bytes it accepted."""
    handler.new_file(field, "big.pdf", "application/pdf", None)
    accepted = 0
    for position, chunk in enumerate(chunks(total)):
        handler.receive_data_chunk(chunk, position * CHUNK)
        accepted += len(chunk)
    return accepted


def test_a_file_under_the_limit_goes_to_a_temporary_file() -> None:
    handler = LimitedUploadHandler(max_file_bytes=MB, max_request_bytes=2 * MB)
    assert feed(handler, "file", MB) == MB
    uploaded = handler.file_complete(MB)
    assert uploaded is not None
    assert os.path.exists(uploaded.temporary_file_path())
    uploaded.close()


def test_a_single_file_endpoint_stops_just_past_the_limit_and_leaves_no_file() -> None:
    handler = LimitedUploadHandler(
        max_file_bytes=MB, max_request_bytes=MB + FIELDS_MARGIN, stop_on_oversize=True
    )
    with pytest.raises(StopUpload) as stopped:
        feed(handler, "file", 2 * 1024 * MB)  # a 2 GB body: the generator is never materialised
    assert stopped.value.connection_reset
    assert handler.received_bytes <= MB + CHUNK
    assert handler.oversized == ["file"]
    assert handler.file.closed
    assert not Path(handler.file.name).exists()


def test_a_form_with_several_files_skips_only_the_big_one() -> None:
    handler = LimitedUploadHandler(max_file_bytes=MB, max_request_bytes=10 * MB)
    with pytest.raises(SkipFile):
        feed(handler, "row-2", 3 * MB)
    assert handler.oversized == ["row-2"]
    assert feed(handler, "row-3", MB // 2) == MB // 2
    assert handler.file_complete(MB // 2) is not None


def test_the_whole_request_is_bounded_too() -> None:
    handler = LimitedUploadHandler(max_file_bytes=MB, max_request_bytes=MB + MB // 2)
    feed(handler, "a", MB)
    with pytest.raises(StopUpload):
        feed(handler, "b", MB)
    assert handler.request_too_large


def test_a_declared_content_length_over_the_limit_is_refused_before_reading() -> None:
    handler = LimitedUploadHandler(max_file_bytes=MB, max_request_bytes=MB + FIELDS_MARGIN)
    result = handler.handle_raw_input(None, {}, 2 * 1024 * MB, b"x")
    assert result is not None
    assert not result[0] and not result[1]
    assert handler.request_too_large
    fresh = LimitedUploadHandler(max_file_bytes=MB, max_request_bytes=MB + FIELDS_MARGIN)
    assert fresh.handle_raw_input(None, {}, MB, b"x") is None
    assert not fresh.request_too_large


pytestmark = pytest.mark.urls("tests.frmr.documents.urls_for_tests")


@pytest.fixture
def small_limit(settings) -> int:  # type: ignore[no-untyped-def]
    settings.DOCUMENT_MAX_BYTES = MB
    return MB


def test_a_pdf_posted_through_django_is_stored_under_a_generated_name(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/single/",
        {"row": "passport", "file": SimpleUploadedFile("../..\\Паспорт\u202e.pdf", pdfs.pdf_bytes())},
    )
    assert response.status_code == 200
    stored = response.json()["file"]
    assert stored["shown"] == "Паспорт.pdf"
    assert stored["name"].startswith("documents/") and "Паспорт" not in stored["name"]
    assert (Path(settings.MEDIA_ROOT) / stored["name"]).exists()


def test_an_oversized_file_in_a_small_request_is_cut_at_the_limit(client: Client, small_limit: int) -> None:
    # The declared body is within the request bound (file + margin), so the streaming counter acts.
    data = pdfs.big_pdf_bytes(small_limit + 100 * 1024)
    response = client.post("/single/", {"row": "passport", "file": SimpleUploadedFile("big.pdf", data)})
    body = response.json()
    assert body["oversized"] == ["file"]
    assert body["post"] == {"row": "passport"}
    assert "file" not in body


def test_a_request_declared_too_big_is_refused_with_the_message(client: Client, small_limit: int) -> None:
    data = pdfs.big_pdf_bytes(2 * small_limit)
    response = client.post("/single/", {"row": "passport", "file": SimpleUploadedFile("big.pdf", data)})
    assert response.status_code == 413
    assert response.json()["error"].startswith("Файл больше 1 МБ.")


def test_other_files_of_the_form_survive_an_oversized_one(client: Client, small_limit: int) -> None:
    response = client.post(
        "/several/",
        {
            "comment": "в декрете",
            "a": SimpleUploadedFile("a.pdf", pdfs.pdf_bytes()),
            "b": SimpleUploadedFile("b.pdf", pdfs.big_pdf_bytes(small_limit + 300 * 1024)),
            "c": SimpleUploadedFile("c.png.pdf", pdfs.PNG_BYTES),
            "d": SimpleUploadedFile("d.pdf", pdfs.pdf_bytes(pages=2)),
        },
    )
    body = response.json()
    assert body["oversized"] == ["b"]
    assert body["post"] == {"comment": "в декрете"}
    assert "name" in body["a"] and "name" in body["d"]
    assert body["c"]["error"].startswith("Файл не является документом PDF")
    assert "b" not in body


def test_csrf_is_still_checked_after_the_handler_is_installed() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/single/", {"file": SimpleUploadedFile("a.pdf", pdfs.pdf_bytes())})
    assert response.status_code == 403
