"""The periodic application filled in Chromium as a worker would, with real PDF files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from frmr.accreditation.models import Application, ApplicationStatus
from frmr.notifications.models import Notification
from frmr.nsi import oids
from frmr.nsi.services import dictionaries_load
from tests import pdfs
from tests.factories import AccreditationRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "passport": ("Паспорт Иванова.pdf", pdfs.pdf_bytes(2)),
        "snils": ("СНИЛС.pdf", pdfs.pdf_bytes()),
        "course1": ("Удостоверение ПК 2022.pdf", pdfs.pdf_bytes()),
        "course2": ("Удостоверение ПК 2024.pdf", pdfs.pdf_bytes()),
        "diploma": ("Диплом СПбГМУ.pdf", pdfs.big_pdf_bytes(6 * 1024 * 1024)),
        "previous": ("Сертификат специалиста.pdf", pdfs.pdf_bytes()),
        "employment": ("Сведения о трудовой деятельности.pdf", pdfs.pdf_bytes(3)),
        "portfolio": ("Отчёт о профессиональной деятельности.pdf", pdfs.pdf_bytes(5)),
        "fake": ("фото паспорта.pdf", pdfs.PNG_BYTES),
        "huge": ("скан 26 МБ.pdf", pdfs.big_pdf_bytes(26 * 1024 * 1024)),
    }
    paths = {}
    for key, (name, data) in made.items():
        path = tmp_path / key
        path.mkdir()
        (path / name).write_bytes(data)
        paths[key] = path / name
    return paths


def log_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def upload(page: Any, row: str, path: Path) -> None:
    page.set_input_files(f"#file-{row}", str(path))
    page.wait_for_selector(f'#row-file-{row}[data-uploaded] .doc-row__name:text("{path.name}")')


def test_worker_fills_and_sends_the_periodic_application(
    page: Any, live_server: Any, worker: Any, files: dict[str, Path], screenshot_dir: str
) -> None:
    dictionaries_load(
        only=[oids.EDUCATION_LEVELS, oids.SPECIALTY_KINDS, oids.SPECIALTIES, oids.ACCREDITATION_KINDS]
    )
    AccreditationRecordFactory(person=worker.person)
    worker.person.email = "ivanova@example.ru"
    worker.person.phone = "+79001112233"
    worker.person.save()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: csp_errors.append(message.text) if "Content Security" in message.text else None,
    )
    log_in(page, live_server, worker)

    page.goto("/lk/application/")
    page.click("text=Подать заявление")
    page.wait_for_selector("h1:text('Заявление на аккредитацию')")
    page.wait_for_selector("html.js", state="attached")  # upload.js has taken over the form
    assert page.input_value("#id_contact_email") == "ivanova@example.ru"  # prefilled from the file
    assert page.input_value("#id_contact_phone") == "+7 900 111-22-33"
    assert page.is_checked("input[name=accreditation_kind][value='3']")  # periodic by default
    assert not page.is_visible("text=Показать специальности")  # with JS the selects refresh themselves

    page.fill("#id_contact_phone", "+7 912 345-67-89")
    with page.expect_navigation():
        page.select_option("#id_education_level", "1")
    with page.expect_navigation():
        page.select_option("#id_specialty_kind", "1")
    page.select_option("#id_specialty", "1001")

    upload(page, "passport-0", files["passport"])
    assert page.is_visible("#row-file-passport-0 .progress")
    assert page.inner_text("#row-file-passport-0 .doc-row__percent") == "Загружено"

    # A PNG named .pdf: refused at its row by the server.
    page.set_input_files("#file-snils-0", str(files["fake"]))
    page.wait_for_selector("#row-file-snils-0 .field__error")
    assert "не является документом PDF" in page.inner_text("#row-file-snils-0 .field__error")
    # A 26 MB PDF: refused at its row before it is sent.
    page.set_input_files("#file-diploma-0", str(files["huge"]))
    page.wait_for_selector("#row-file-diploma-0 .field__error")
    assert "Файл больше 25 МБ" in page.inner_text("#row-file-diploma-0 .field__error")
    page.screenshot(path=f"{screenshot_dir}/application-row-errors-1280.png", full_page=True)
    assert page.is_visible("#row-file-passport-0 .doc-row__name")  # what was there stays

    upload(page, "snils-0", files["snils"])
    upload(page, "diploma-0", files["diploma"])
    upload(page, "course_certificate-0", files["course1"])
    with page.expect_navigation():
        page.click("#group-course_certificate button[data-add-row]")
    assert page.input_value("#id_contact_phone") == "+7 912 345-67-89"  # saved with «Добавить ещё»
    assert page.input_value("#id_specialty") == "1001"
    upload(page, "course_certificate-1", files["course2"])
    upload(page, "previous_accreditation-0", files["previous"])
    upload(page, "employment_record-0", files["employment"])
    upload(page, "portfolio-0", files["portfolio"])
    page.fill("#id_comment", "С января по март 2025 года — отпуск по уходу за ребёнком.")
    page.check("#id_consent")

    page.screenshot(path=f"{screenshot_dir}/application-form-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/application-form-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        page.click("button[data-submit-once]")
    page.wait_for_selector("h1:text('Проверьте заявление')")
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить заявление").click()
    page.wait_for_selector("h1:text('Заявление отправлено')")
    page.goto("/lk/application/")
    assert page.is_visible("text=Отправлено — ожидает проверки")
    page.screenshot(path=f"{screenshot_dir}/application-list-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/application-list-390.png", full_page=True)

    application = Application.objects.get(applicant=worker)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.documents.count() == 8
    assert application.comment.startswith("С января")
    assert not Notification.objects.filter(recipient=worker).exists()
    assert not csp_errors
    assert not page.external_requests


def test_missing_things_are_listed_at_the_top(
    page: Any, live_server: Any, worker: Any, screenshot_dir: str
) -> None:
    dictionaries_load(
        only=[oids.EDUCATION_LEVELS, oids.SPECIALTY_KINDS, oids.SPECIALTIES, oids.ACCREDITATION_KINDS]
    )
    AccreditationRecordFactory(person=worker.person)
    log_in(page, live_server, worker)
    page.goto("/lk/application/new/")
    page.click("text=Начать заполнение")
    with page.expect_navigation():
        page.click("button[data-submit-once]")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#id_specialty']").count() == 1
    assert summary.locator("a[href='#file-portfolio-0']").count() == 1
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.screenshot(path=f"{screenshot_dir}/application-summary-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/application-summary-390.png", full_page=True)
