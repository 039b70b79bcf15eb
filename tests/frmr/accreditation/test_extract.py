from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.extract import check_url, extract_pdf
from tests.accreditation_helpers import at_commission_application

pytestmark = pytest.mark.django_db


def accredited_record(worker: User, fac_staff: User, secretary: User):
    application = at_commission_application(worker, fac_staff)
    application = services.application_record_decision(
        application=application,
        actor=secretary,
        accredited=True,
        protocol_number="42",
        protocol_date=timezone.localdate(),
    )
    assert application.accreditation_record is not None
    return application.accreditation_record


def test_extract_is_a_pdf_with_the_number_and_the_check_link(
    worker: User, fac_staff: User, secretary: User
) -> None:
    record = accredited_record(worker, fac_staff, secretary)
    data = extract_pdf(record=record)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        content = (
            b"".join(stream.read_bytes() for stream in page.obj.Contents.as_list())
            if isinstance(page.obj.Contents, pikepdf.Array)
            else page.obj.Contents.read_bytes()
        )
        assert content  # drawn text is glyph ids of the subset font; the keywords hold the number
        uris = {str(annot.A.URI) for annot in page.obj.Annots}
        assert check_url(record.registry_number) in uris
        assert str(pdf.docinfo["/Keywords"]) == record.registry_number
        fonts = {str(font.BaseFont) for font in page.obj.Resources.Font.values()}
        assert any("DejaVu" in name for name in fonts)
    assert check_url(record.registry_number) == f"http://127.0.0.1:8000/check/{record.registry_number}"


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [font for page in pdf.pages for font in page.obj.Resources.Font.values()]


def test_every_string_of_the_extract_is_in_the_embedded_font(
    worker: User, fac_staff: User, secretary: User
) -> None:
    """Issue 12.12: no standard (non-embedded) font such as Helvetica anywhere on the page."""
    record = accredited_record(worker, fac_staff, secretary)
    with pikepdf.open(io.BytesIO(extract_pdf(record=record))) as pdf:
        fonts = _fonts(pdf)
        assert fonts
        for font in fonts:
            assert "Helvetica" not in str(font.BaseFont)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI") != "true",
    reason="needs pdftotext and pdftoppm (apt-get install poppler-utils; CI installs it)",
)
def test_the_extract_names_the_commission_from_the_setting(
    worker: User, fac_staff: User, secretary: User, settings: Any, tmp_path: Path
) -> None:
    settings.ACCREDITATION_COMMISSION_NAME = "Аккредитационная комиссия Минздрава России"
    record = accredited_record(worker, fac_staff, secretary)
    assert record.institution_name == "Аккредитационная комиссия Минздрава России"
    assert re.fullmatch(r"\d{4}-\d{7}", record.registry_number)
    pdf_path = tmp_path / "extract.pdf"
    pdf_path.write_bytes(extract_pdf(record=record))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Кем проведена" in text and "Аккредитационная комиссия Минздрава" in text
    # The number stands apart from its label, in the same format as everywhere else.
    assert re.search(rf"Номер реестровой записи:\s+{re.escape(record.registry_number)}", text)
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(pdf_path), "var/screenshots/issue12-extract"], check=True
    )


def test_commission_name_is_a_defined_setting() -> None:
    from django.conf import settings as live

    assert live.ACCREDITATION_COMMISSION_NAME
