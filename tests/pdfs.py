"""Real PDF files (and things pretending to be PDFs) for the tests, made with pikepdf."""

from __future__ import annotations

import io
import os

import pikepdf

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
HTML_BYTES = (
    b"<!DOCTYPE html><html><head><title>PDF</title></head><body><script>alert(1)</script></body></html>"
)


def pdf_bytes(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def big_pdf_bytes(size: int) -> bytes:
    """A valid one-page PDF of about `size` bytes: the page carries an incompressible stream."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    overhead = len(pdf_bytes()) + 400
    payload = os.urandom(max(0, size - overhead))
    # Stored as already "compressed" data so pikepdf writes it as is and the file size is predictable.
    stream = pikepdf.Stream(pdf, payload)
    pdf.pages[0].obj[pikepdf.Name.PieceInfo] = pikepdf.Dictionary(Blob=pdf.make_indirect(stream))
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def encrypted_pdf_bytes(user_password: str = "secret") -> bytes:
    pdf = pikepdf.open(io.BytesIO(pdf_bytes()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner-password", user=user_password))
    return out.getvalue()


def zero_page_pdf_bytes() -> bytes:
    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


def truncated_pdf_bytes() -> bytes:
    data = pdf_bytes(pages=3)
    return data[: len(data) * 2 // 3]


def random_bytes(size: int = 4096) -> bytes:
    return os.urandom(size)
