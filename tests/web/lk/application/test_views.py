"""The worker's application pages: every view allowed to its user and denied to others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application, ApplicationDocument, ApplicationStatus
from frmr.accreditation.services.worker import MESSAGE_ALREADY_IN_PROGRESS
from frmr.notifications.models import Notification
from tests import pdfs
from tests.web.lk.application.conftest import SPECIALTY, pdf_upload, typed_fields

S = ApplicationStatus


def edit_url(application: Application) -> str:
    return reverse("lk:application_edit", kwargs={"pk": application.pk})


def review_url(application: Application) -> str:
    return reverse("lk:application_review", kwargs={"pk": application.pk})


def upload_url(application: Application) -> str:
    return reverse("lk:application_upload", kwargs={"pk": application.pk})


# --- list and start ---------------------------------------------------------------------------------


def test_list_shows_the_workers_applications(
    login: Any, complete_draft: Application, practising: User
) -> None:
    services.application_submit(application=complete_draft, actor=practising)
    response = login(practising).get(reverse("lk:application_list"))
    assert response.status_code == 200
    assert "Отправлено — ожидает проверки" in response.content.decode()


def test_list_needs_a_login(client: Client) -> None:
    response = client.get(reverse("lk:application_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_list_does_not_show_other_workers_applications(
    login: Any, draft: Application, other_worker: User
) -> None:
    response = login(other_worker).get(reverse("lk:application_list"))
    assert "Продолжить заполнение" not in response.content.decode()


def test_new_creates_one_periodic_draft_for_a_practising_specialist(login: Any, practising: User) -> None:
    client = login(practising)
    assert "Начать заполнение" in client.get(reverse("lk:application_new")).content.decode()
    first = client.post(reverse("lk:application_new"))
    second = client.post(reverse("lk:application_new"))
    assert first["Location"] == second["Location"]
    application = Application.objects.get(applicant=practising)
    assert application.kind_code == "3"
    assert application.contact_phone == practising.person.phone


def test_new_defaults_to_primary_without_a_previous_accreditation(login: Any, worker: User) -> None:
    login(worker).post(reverse("lk:application_new"))
    assert Application.objects.get(applicant=worker).kind_code == "1"


def test_new_is_refused_to_someone_the_register_does_not_know(login: Any, operator_a: User) -> None:
    response = login(operator_a).post(reverse("lk:application_new"))
    assert response.status_code == 200
    assert "В регистре пока нет ваших данных" in response.content.decode()
    assert not Application.objects.exists()


# --- the form ---------------------------------------------------------------------------------------


def test_form_is_prefilled_and_marks_required_fields(
    login: Any, draft: Application, practising: User
) -> None:
    page = login(practising).get(edit_url(draft)).content.decode()
    assert practising.person.email in page
    assert page.count('class="field__required"') >= 10
    assert "Отправить заявление" in page
    assert 'name="file-course_certificate-0"' in page
    assert "Портфолио" in page


def test_form_of_another_worker_is_404(login: Any, draft: Application, other_worker: User) -> None:
    assert login(other_worker).get(edit_url(draft)).status_code == 404
    assert login(other_worker).post(edit_url(draft), typed_fields()).status_code == 404


def test_form_needs_a_login(client: Client, draft: Application) -> None:
    assert client.get(edit_url(draft)).status_code == 302


def test_cascade_works_without_javascript(login: Any, draft: Application, practising: User) -> None:
    client = login(practising)
    page = client.get(edit_url(draft)).content.decode()
    assert "Лечебное дело" not in page  # nothing chosen yet: no specialties offered
    response = client.post(
        edit_url(draft), typed_fields(education_level="2", specialty_kind="", specialty="", action="refresh")
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Врачебные специальности" not in page  # kinds of the higher level are filtered out
    draft.refresh_from_db()
    assert draft.education_level.code == "2"
    client.post(edit_url(draft), typed_fields(specialty="", action="refresh"))
    page = client.get(edit_url(draft)).content.decode()
    assert "Лечебное дело" in page and "Сестринское дело" not in page


def test_typed_fields_are_saved_as_a_draft(login: Any, draft: Application, practising: User) -> None:
    response = login(practising).post(
        edit_url(draft), typed_fields(comment="В декрете до мая", action="save")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.comment == "В декрете до мая"
    assert draft.specialty.code == SPECIALTY
    assert draft.contact_phone == "+79123456789"


def test_a_wrong_field_keeps_the_others_saved(login: Any, draft: Application, practising: User) -> None:
    response = login(practising).post(
        edit_url(draft), typed_fields(contact_phone="позвоните мне", action="save")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_contact_phone"' in page
    assert 'value="позвоните мне"' in page
    draft.refresh_from_db()
    assert draft.specialty.code == SPECIALTY


def test_whole_form_post_saves_good_files_and_refuses_bad_ones_at_their_rows(
    login: Any, draft: Application, practising: User, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    data = typed_fields(action="save")
    data["file-passport-0"] = pdf_upload("../../Паспорт\u202e.pdf")
    data["file-snils-0"] = SimpleUploadedFile("снилс.pdf", pdfs.PNG_BYTES, content_type="application/pdf")
    data["file-diploma-0"] = SimpleUploadedFile("диплом.pdf", pdfs.big_pdf_bytes(1024 * 1024 + 50_000))
    data["file-employment_record-0"] = pdf_upload("трудовая.pdf", pages=3)
    response = login(practising).post(edit_url(draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Файл не является документом PDF" in page
    assert "Файл больше 1 МБ" in page
    assert 'href="#file-snils-0"' in page and 'href="#file-diploma-0"' in page
    stored = {doc.doc_type: doc for doc in draft.documents.all()}
    assert set(stored) == {"passport", "employment_record"}
    assert stored["passport"].original_name == "Паспорт.pdf"
    assert stored["employment_record"].page_count == 3
    assert "Паспорт" not in stored["passport"].storage_name
    draft.refresh_from_db()
    assert draft.specialty.code == SPECIALTY  # typed fields kept


def test_a_form_declared_far_too_big_is_refused_before_reading(
    login: Any, draft: Application, practising: User, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 10 * 1024
    data = typed_fields(action="save")
    for index, name in enumerate(["passport", "snils", "diploma"]):
        data[f"file-{name}-0"] = SimpleUploadedFile(f"{index}.pdf", pdfs.big_pdf_bytes(300 * 1024))
    response = login(practising).post(edit_url(draft), data)
    assert response.status_code == 413
    assert "Файлы слишком большие" in response.content.decode()
    assert not draft.documents.exists()


def test_add_another_row_without_javascript(login: Any, draft: Application, practising: User) -> None:
    client = login(practising)
    client.post(edit_url(draft), {**typed_fields(), "file-course_certificate-0": pdf_upload("1.pdf")})
    response = client.post(edit_url(draft), typed_fields(action="add:course_certificate"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'name="file-course_certificate-1"' in page
    client.post(edit_url(draft), {**typed_fields(), "file-course_certificate-1": pdf_upload("2.pdf")})
    assert draft.documents.filter(doc_type="course_certificate").count() == 2


def test_replace_and_remove_a_file(
    login: Any, draft: Application, practising: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(practising)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload_url(draft), {"doc_type": "passport", "row": "0", "file": pdf_upload("old.pdf")})
        old = draft.documents.get().storage_name
        client.post(upload_url(draft), {"doc_type": "passport", "row": "0", "file": pdf_upload("new.pdf")})
    document = draft.documents.get()
    assert document.original_name == "new.pdf"
    assert not (Path(settings.MEDIA_ROOT) / old).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(draft), typed_fields(action="remove:passport:0"))
    assert response.status_code == 302
    assert not draft.documents.exists()
    assert not (Path(settings.MEDIA_ROOT) / document.storage_name).exists()


# --- row upload endpoint ------------------------------------------------------------------------------


def test_row_upload_answers_with_the_rendered_row(login: Any, draft: Application, practising: User) -> None:
    response = login(practising).post(
        upload_url(draft), {"doc_type": "course_certificate", "row": "0", "file": pdf_upload("курсы 😀.pdf")}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert "курсы 😀.pdf" in body["html"] and "Заменить файл" in body["html"]


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (pdfs.PNG_BYTES, 400, "Файл не является документом PDF"),
        (pdfs.HTML_BYTES, 400, "Файл не является документом PDF"),
        (pdfs.encrypted_pdf_bytes(), 400, "защищён паролем"),
        (b"", 400, "Файл пустой"),
    ],
)
def test_row_upload_refuses_bad_files(
    login: Any, draft: Application, practising: User, data: bytes, status: int, message: str
) -> None:
    response = login(practising).post(
        upload_url(draft), {"doc_type": "passport", "row": "0", "file": SimpleUploadedFile("x.pdf", data)}
    )
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not draft.documents.exists()


def test_row_upload_over_the_limit_is_413(
    login: Any, draft: Application, practising: User, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 512 * 1024
    big = SimpleUploadedFile("big.pdf", pdfs.big_pdf_bytes(600 * 1024))
    response = login(practising).post(upload_url(draft), {"doc_type": "passport", "row": "0", "file": big})
    assert response.status_code == 413
    assert response.json()["error"].startswith("Файл больше 0,5 МБ")


def test_row_upload_into_a_row_the_kind_does_not_ask_for(
    login: Any, draft: Application, practising: User
) -> None:
    response = login(practising).post(
        upload_url(draft), {"doc_type": "foreign_recognition", "row": "0", "file": pdf_upload()}
    )
    assert response.status_code == 400
    assert "не требуется" in response.json()["error"]


def test_row_upload_is_denied_to_others(
    client: Client, login: Any, draft: Application, other_worker: User
) -> None:
    data = {"doc_type": "passport", "row": "0", "file": pdf_upload()}
    assert client.post(upload_url(draft), data).status_code == 302
    assert login(other_worker).post(upload_url(draft), {**data, "file": pdf_upload()}).status_code == 404
    assert not ApplicationDocument.objects.exists()


def test_row_upload_checks_csrf(draft: Application, practising: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(practising)
    response = client.post(upload_url(draft), {"doc_type": "passport", "row": "0", "file": pdf_upload()})
    assert response.status_code == 403


# --- submission ---------------------------------------------------------------------------------------


def test_submitting_with_things_missing_lists_them_at_the_top(
    login: Any, draft: Application, practising: User
) -> None:
    response = login(practising).post(
        edit_url(draft), typed_fields(specialty="", consent=None, action="submit")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    for anchor in ("#id_specialty", "#id_consent", "#file-passport-0", "#file-portfolio-0"):
        assert f'href="{anchor}"' in page
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submit_sends_once_and_notifies_nobody(
    login: Any, complete_draft: Application, practising: User
) -> None:
    client = login(practising)
    checked = client.post(edit_url(complete_draft), typed_fields(action="submit"))
    assert checked.status_code == 302 and checked["Location"] == review_url(complete_draft)
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.DRAFT  # not sent until the worker confirms on the review page
    first = client.post(review_url(complete_draft))
    second = client.post(review_url(complete_draft))  # the double click
    sent_url = reverse("lk:application_sent", kwargs={"pk": complete_draft.pk})
    assert first.status_code == 302 and first["Location"] == sent_url
    assert second.status_code == 302 and second["Location"] == sent_url
    assert Application.objects.filter(applicant=practising).count() == 1
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.SUBMITTED
    assert complete_draft.events.filter(to_status=S.SUBMITTED).count() == 1
    assert not Notification.objects.exists()
    page = client.get(reverse("lk:application_list")).content.decode()
    assert "Отправлено — ожидает проверки" in page


def test_submit_service_is_idempotent(complete_draft: Application, practising: User) -> None:
    first = services.application_submit(application=complete_draft, actor=practising)
    second = services.application_submit(application=complete_draft, actor=practising)
    assert first.pk == second.pk and second.status == S.SUBMITTED
    assert complete_draft.events.filter(to_status=S.SUBMITTED).count() == 1


def test_a_second_application_for_the_same_specialty_is_refused(
    login: Any, complete_draft: Application, practising: User
) -> None:
    client = login(practising)
    client.post(edit_url(complete_draft), typed_fields(action="submit"))
    client.post(review_url(complete_draft))
    client.post(reverse("lk:application_new"))
    second = Application.objects.filter(applicant=practising, status=S.DRAFT).get()
    client.post(edit_url(second), typed_fields(action="save"))
    assert "уже отправлено" in client.get(edit_url(second)).content.decode()  # said before submitting
    response = client.post(edit_url(second), typed_fields(action="submit"))
    assert response.status_code == 200
    assert MESSAGE_ALREADY_IN_PROGRESS in response.content.decode()
    second.refresh_from_db()
    assert second.status == S.DRAFT


def test_the_service_refuses_a_second_application_too(complete_draft: Application, practising: User) -> None:
    from django.core.exceptions import ValidationError

    from frmr.accreditation.requirements import requirements_for
    from tests.accreditation_helpers import attach

    services.application_submit(application=complete_draft, actor=practising)
    second = services.application_create_draft(actor=practising)
    services.application_update_draft(
        application=second,
        actor=practising,
        contact_phone="+79123456789",
        contact_email="a@example.ru",
        education_level_code="1",
        specialty_kind_code="1",
        specialty_code=SPECIALTY,
        accreditation_kind_code="3",
        comment="",
        consent=True,
    )
    for requirement in requirements_for("3"):
        if requirement.required:
            attach(second, practising, requirement.doc_type, 0)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=second, actor=practising)
    assert refused.value.message_dict["specialty"] == [MESSAGE_ALREADY_IN_PROGRESS]


# --- detail, withdraw, returned -----------------------------------------------------------------------


def test_detail_shows_history_and_documents(
    login: Any, complete_draft: Application, practising: User
) -> None:
    services.application_submit(application=complete_draft, actor=practising)
    page = (
        login(practising)
        .get(reverse("lk:application_detail", kwargs={"pk": complete_draft.pk}))
        .content.decode()
    )
    assert "История" in page and "Отправлено — ожидает проверки" in page
    assert "passport.pdf" in page
    assert "Отозвать заявление" in page


def test_detail_of_another_worker_is_404(login: Any, draft: Application, other_worker: User) -> None:
    url = reverse("lk:application_detail", kwargs={"pk": draft.pk})
    assert login(other_worker).get(url).status_code == 404


def test_withdraw_until_registered(
    login: Any, complete_draft: Application, practising: User, fac_staff: User
) -> None:
    client = login(practising)
    services.application_submit(application=complete_draft, actor=practising)
    url = reverse("lk:application_withdraw", kwargs={"pk": complete_draft.pk})
    assert client.get(url).status_code == 405
    client.post(url)
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.WITHDRAWN


def test_an_unfinished_draft_is_withdrawn_from_its_page(
    login: Any, draft: Application, practising: User
) -> None:
    """A draft never sent needs no specialty or consent to be withdrawn (it used to end in a 500)."""
    assert draft.specialty_id is None or not draft.consent
    response = login(practising).post(
        reverse("lk:application_withdraw", kwargs={"pk": draft.pk}), follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN and draft.submitted_at is None


def test_withdraw_after_registration_is_refused_with_a_message(
    login: Any, complete_draft: Application, practising: User, fac_staff: User
) -> None:
    services.application_submit(application=complete_draft, actor=practising)
    services.application_register(application=complete_draft, actor=fac_staff)
    client = login(practising)
    response = client.post(reverse("lk:application_withdraw", kwargs={"pk": complete_draft.pk}), follow=True)
    assert "Нельзя отозвать заявление" in response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.REGISTERED


def test_withdraw_is_denied_to_others(
    client: Client, login: Any, draft: Application, other_worker: User
) -> None:
    url = reverse("lk:application_withdraw", kwargs={"pk": draft.pk})
    assert client.post(url).status_code == 302
    assert login(other_worker).post(url).status_code == 404
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_returned_application_lets_the_worker_fix_only_the_asked_rows(
    login: Any, complete_draft: Application, practising: User, fac_staff: User
) -> None:
    services.application_submit(application=complete_draft, actor=practising)
    services.application_return_for_revision(
        application=complete_draft, actor=fac_staff, reason="Скан паспорта нечитаем", rows=["passport:0"]
    )
    client = login(practising)
    detail = client.get(reverse("lk:application_detail", kwargs={"pk": complete_draft.pk})).content.decode()
    assert "Скан паспорта нечитаем" in detail and "Нужно заменить" in detail
    page = client.get(edit_url(complete_draft)).content.decode()
    assert 'name="file-passport-0"' in page
    assert 'name="file-snils-0"' not in page
    refused = client.post(upload_url(complete_draft), {"doc_type": "snils", "row": "0", "file": pdf_upload()})
    assert refused.status_code == 400
    client.post(
        upload_url(complete_draft), {"doc_type": "passport", "row": "0", "file": pdf_upload("новый.pdf")}
    )
    response = client.post(edit_url(complete_draft), typed_fields(action="submit"))
    assert response.status_code == 302 and response["Location"] == review_url(complete_draft)
    review = client.get(review_url(complete_draft)).content.decode()
    assert "Отправить повторно" in review
    client.post(review_url(complete_draft))
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.SUBMITTED


# --- documents ------------------------------------------------------------------------------------------


def download_url(document: ApplicationDocument, inline: bool = False) -> str:
    url = reverse("lk:document_download", kwargs={"pk": document.pk})
    return url + ("?inline=1" if inline else "")


@pytest.fixture
def sent(complete_draft: Application, practising: User) -> Application:
    return services.application_submit(application=complete_draft, actor=practising)


def test_owner_downloads_a_document(login: Any, sent: Application, practising: User) -> None:
    document = sent.documents.get(doc_type="passport")
    response = login(practising).get(download_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="passport.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("role", ["fac_staff", "secretary"])
def test_centre_and_secretaries_open_documents_inline(
    login: Any, sent: Application, role: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    response = login(user).get(download_url(sent.documents.get(doc_type="passport"), inline=True))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("role", ["other_worker", "operator_a"])
def test_others_get_404_for_a_document(
    login: Any, sent: Application, role: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    assert login(user).get(download_url(sent.documents.get(doc_type="passport"))).status_code == 404


def test_anonymous_gets_404_for_a_document(client: Client, sent: Application) -> None:
    assert client.get(download_url(sent.documents.get(doc_type="passport"))).status_code == 404


def test_staff_do_not_see_drafts(login: Any, complete_draft: Application, fac_staff: User) -> None:
    document = complete_draft.documents.get(doc_type="passport")
    assert login(fac_staff).get(download_url(document)).status_code == 404


def test_a_post_without_the_kind_keeps_the_kind_and_the_files(
    login: Any, complete_draft: Application, practising: User
) -> None:
    login(practising).post(edit_url(complete_draft), {"action": "save", "comment": "без вида"})
    complete_draft.refresh_from_db()
    assert complete_draft.kind_code == "3"
    assert complete_draft.documents.count() == 7


def test_new_needs_a_login(client: Client) -> None:
    assert client.post(reverse("lk:application_new"))["Location"].startswith("/login/")
    assert not Application.objects.exists()


def test_the_cabinet_links_to_the_applications(login: Any, worker: User) -> None:
    page = login(worker).get(reverse("lk:home")).content.decode()
    assert reverse("lk:application_list") in page
