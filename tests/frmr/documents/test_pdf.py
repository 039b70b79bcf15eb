from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from frmr.documents import pdf as messages
from frmr.documents.pdf import validate_pdf
from tests import pdfs


def refusal(data: bytes, name: str = "скан.pdf", **kwargs: int) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(SimpleUploadedFile(name, data, content_type="application/pdf"), **kwargs)
    return caught.value


def test_a_real_pdf_is_accepted_with_its_pages_size_and_hash() -> None:
    import hashlib

    data = pdfs.pdf_bytes(pages=2)
    info = validate_pdf(SimpleUploadedFile("a.pdf", data))
    assert info.pages == 2
    assert info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()


def test_a_temporary_upload_is_opened_by_path() -> None:
    data = pdfs.pdf_bytes()
    upload = TemporaryUploadedFile("a.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    assert validate_pdf(upload).pages == 1
    upload.close()


def test_a_plain_binary_stream_works_too() -> None:
    assert validate_pdf(io.BytesIO(pdfs.pdf_bytes())).pages == 1


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (pdfs.PNG_BYTES, "not_pdf", messages.MESSAGE_NOT_PDF),
        (pdfs.HTML_BYTES, "not_pdf", messages.MESSAGE_NOT_PDF),
        (b"", "empty", messages.MESSAGE_EMPTY),
        (pdfs.truncated_pdf_bytes(), "damaged", messages.MESSAGE_DAMAGED),
        (pdfs.zero_page_pdf_bytes(), "no_pages", messages.MESSAGE_NO_PAGES),
        (pdfs.encrypted_pdf_bytes(), "encrypted", messages.MESSAGE_ENCRYPTED),
        (pdfs.encrypted_pdf_bytes(user_password=""), "encrypted", messages.MESSAGE_ENCRYPTED),
    ],
    ids=["png", "html", "empty", "truncated", "zero-pages", "password", "encrypted-no-password"],
)
def test_bad_files_are_refused_each_with_its_own_message(data: bytes, code: str, message: str) -> None:
    error = refusal(data)
    assert error.code == code
    assert error.messages == [message]


def test_random_bytes_are_not_a_pdf() -> None:
    assert refusal(pdfs.random_bytes()).code == "not_pdf"


def test_pdf_header_with_garbage_behind_it_is_damaged() -> None:
    assert refusal(b"%PDF-1.7\n" + pdfs.random_bytes() + b"\n%%EOF\n").code == "damaged"


def test_the_name_and_content_type_are_not_trusted() -> None:
    upload = SimpleUploadedFile("scan.png", pdfs.pdf_bytes(), content_type="image/png")
    assert validate_pdf(upload).pages == 1
    assert refusal(pdfs.PNG_BYTES, name="passport.PDF").code == "not_pdf"


def test_size_limit_has_a_message_in_megabytes(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    error = refusal(pdfs.big_pdf_bytes(1024 * 1024 + 5000))
    assert error.code == "too_large"
    assert error.messages[0].startswith("Файл больше 1 МБ.")


def test_default_limit_reads_as_25_mb() -> None:
    assert messages.too_large_message().startswith("Файл больше 25 МБ.")
