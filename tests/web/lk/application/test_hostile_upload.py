"""A worker uploads a decompression bomb in the application form: refused at its row, nothing else lost."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frmr.accounts.models import User
from frmr.accreditation.models import Application
from frmr.documents.pdf import MESSAGE_TOO_COMPLEX
from tests import hostile
from tests.web.lk.application.conftest import SPECIALTY, pdf_upload, typed_fields

BOMB_BYTES = 5 * 1024 * 1024


def test_a_pdf_bomb_in_the_whole_form_is_refused_at_its_row_and_the_rest_is_saved(
    login: Any, draft: Application, practising: User
) -> None:
    data = typed_fields(action="save", contact_phone="+7 912 000-11-22")
    data["file-passport-0"] = pdf_upload("паспорт.pdf")
    data["file-snils-0"] = SimpleUploadedFile(
        "снилс.pdf", hostile.pdf_object_stream_bomb(BOMB_BYTES), content_type="application/pdf"
    )
    response = login(practising).post(reverse("lk:application_edit", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Файл PDF устроен слишком сложно" in page
    assert 'href="#file-snils-0"' in page
    assert set(draft.documents.values_list("doc_type", flat=True)) == {"passport"}
    draft.refresh_from_db()
    assert draft.specialty.code == SPECIALTY
    assert draft.contact_phone == "+79120001122"


def test_a_pdf_bomb_in_a_row_upload_is_refused_with_the_message(
    login: Any, draft: Application, practising: User
) -> None:
    bomb = SimpleUploadedFile("скан.pdf", hostile.pdf_content_stream_bomb(BOMB_BYTES))
    response = login(practising).post(
        reverse("lk:application_upload", kwargs={"pk": draft.pk}),
        {"doc_type": "passport", "row": "0", "file": bomb},
    )
    assert response.status_code == 400
    assert response.json()["error"] == MESSAGE_TOO_COMPLEX
    assert not draft.documents.exists()
