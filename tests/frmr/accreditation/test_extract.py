from __future__ import annotations

import io

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
        assert record.registry_number.encode() in content
        uris = {str(annot.A.URI) for annot in page.obj.Annots}
        assert check_url(record.registry_number) in uris
        assert str(pdf.docinfo["/Keywords"]) == record.registry_number
        fonts = {str(font.BaseFont) for font in page.obj.Resources.Font.values()}
        assert any("DejaVu" in name for name in fonts)
    assert check_url(record.registry_number) == f"http://127.0.0.1:8000/check/{record.registry_number}"
