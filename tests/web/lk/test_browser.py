"""The cabinet tried as a new user would, in Chromium, logged in through the ЕСИА emulator over HTTP.

A demo doctor logs in, opens every section, changes the phone (a wrong one is refused and kept), sends
a correction request with a PDF, sees a notification created by the test arrive, marks it read, logs
out. Every page is screenshotted at 1280 and 390 px into var/screenshots/lk-*.png and checked for
horizontal overflow, labelled fields and a visible keyboard focus.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frmr.corrections.models import CorrectionRequest, FileSection
from frmr.notifications.services import notification_create
from frmr.registry.models import Organization
from tests.esia_fixtures import esia_emulator_db, esia_emulator_server  # noqa: F401 - fixtures
from tests.esia_people import make_ivanova
from tests.factories import AccreditationRecordFactory
from tests.pdfs import pdf_bytes
from tests.web.lk.conftest import fill_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo12345"
PHONE = 390
DESKTOP = 1280

UNLABELLED_FIELDS = """() => Array.from(document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


@pytest.fixture
def esia(settings: Any, live_server: Any, esia_emulator_server: str) -> str:  # noqa: F811
    settings.ESIA_BASE_URL = esia_emulator_server
    settings.ESIA_REDIRECT_URI = f"{live_server.url}/login/esia/callback/"
    return esia_emulator_server


def look(page: Page, screenshot_dir: str, name: str) -> None:
    """Screenshots at both widths; nothing may overflow sideways and every field needs a label."""
    assert page.evaluate(UNLABELLED_FIELDS) == [], name
    page.screenshot(path=f"{screenshot_dir}/lk-{name}-{DESKTOP}.png", full_page=True)
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/lk-{name}-{PHONE}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, f"{name} overflows at {PHONE} px"
    page.set_viewport_size({"width": DESKTOP, "height": 900})


def test_doctor_uses_the_cabinet(page: Page, live_server: Any, esia: str, screenshot_dir: str) -> None:
    person = make_ivanova()
    hospital = Organization.objects.get(name_short="ГБУЗ «Городская клиническая больница № 1»")
    fill_file(person, hospital, rows=2)
    today = timezone.localdate()
    AccreditationRecordFactory(
        person=person,
        organization=hospital,
        pass_date=today - datetime.timedelta(days=5 * 365 - 120),
        end_date=today + datetime.timedelta(days=120),
    )

    # Login through the emulator, as the seed article shows.
    page.goto("/")
    page.get_by_role("link", name="Войти").click()
    page.get_by_label("Телефон / Email / СНИЛС").fill("112-233-445 95")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/lk/")
    expect(page.locator("h1")).to_have_text("Иванова Анна Сергеевна")
    expect(page.locator(".warning-box").first).to_contain_text("истекает")
    look(page, screenshot_dir, "home")

    # Keyboard focus is visible: tab to the first link of the page and read its outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")

    # Every section, reached from the main page's links, shows the data of the file.
    texts = {
        FileSection.PERSONAL: "112-233-445 95",
        FileSection.DOCUMENTS: "Паспорт гражданина Российской Федерации",
        FileSection.ADDRESSES: "ул. Тверская",
        FileSection.EDUCATION: "Лечебное дело",
        FileSection.POSTGRADUATE: "Ординатура",
        FileSection.ADDITIONAL: "из 144 ч",
        FileSection.CERTIFICATES: "РМАНПО",
        FileSection.ACCREDITATIONS: "Номер реестровой записи",
        FileSection.CATEGORIES: "Высшая категория",
        FileSection.AWARDS: "Почётная грамота",
        FileSection.EMPLOYMENT: "ГБУЗ «Поликлиника № 5»",
    }
    for section, text in texts.items():
        label = str(section.label)  # a lazy translation: the browser's API takes a str
        page.goto("/lk/")
        page.locator(".section-links").get_by_role("link", name=re.compile(f"^{re.escape(label)}")).click()
        expect(page.locator("h1")).to_have_text(label)
        expect(page.locator(".file-main").get_by_text(text).first).to_be_visible()
        if section != FileSection.PERSONAL:
            expect(
                page.get_by_text("Внесено: ГБУЗ «Городская клиническая больница № 1»").first
            ).to_be_visible()
        look(page, screenshot_dir, f"section-{section.value}")

    # «Изменить телефон и почту»: a landline is refused with a message, the typed number stays.
    page.goto("/lk/file/personal/")
    page.get_by_role("link", name="Изменить телефон и почту").click()
    phone = page.get_by_label("Мобильный телефон")
    phone.fill("+7 495 123-45-67")
    page.get_by_role("button", name="Сохранить").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Нужен номер мобильного телефона")
    expect(summary).to_be_focused()
    expect(phone).to_have_value("+7 495 123-45-67")
    look(page, screenshot_dir, "contacts-error")
    summary.get_by_role("link").first.click()
    expect(phone).to_be_focused()
    phone.fill("8 912 345-67-89")
    page.get_by_role("button", name="Сохранить").click()
    # (The browser keeps the #id_phone of the summary link across the redirect.)
    expect(page).to_have_url(re.compile(r"/lk/file/personal/(#id_phone)?$"))
    expect(page.get_by_text("Контактные данные сохранены.")).to_be_visible()
    expect(page.get_by_text("+7 912 345-67-89")).to_be_visible()
    page.goto("/lk/contacts/")
    look(page, screenshot_dir, "contacts")

    # «Сообщить об ошибке» from the education section, with a PDF proof.
    page.goto("/lk/file/education/")
    page.get_by_role("link", name="Сообщить об ошибке").click()
    expect(page.get_by_label("Раздел личного дела")).to_have_value("education")
    page.get_by_role("button", name="Отправить запрос").click()
    expect(page.locator(".error-summary")).to_contain_text("Выберите организацию")
    look(page, screenshot_dir, "correction-error")
    page.get_by_label("Кому отправить").select_option(label="ГБУЗ «Поликлиника № 5»")
    page.get_by_label("Что указано неверно").fill("Год окончания указан 2009")
    page.get_by_label("Как должно быть").fill("Год окончания — 2008")
    page.get_by_label("Подтверждающий документ").set_input_files(
        files=[{"name": "диплом.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Отправить запрос").click()
    expect(page.get_by_text("Ответа пока нет")).to_be_visible()
    correction = CorrectionRequest.objects.get()
    assert correction.organization.name_short == "ГБУЗ «Поликлиника № 5»" and correction.has_proof
    look(page, screenshot_dir, "correction")
    page.goto("/lk/corrections/")
    expect(page.get_by_role("link", name=f"Запрос № {correction.pk}")).to_be_visible()
    look(page, screenshot_dir, "corrections")

    # A notification arrives (made here, as the employer's answer or the centre would make it).
    expect(page.locator("#header-unread")).to_have_count(0)
    notification_create(
        recipient=correction.author,
        kind="test",
        title="Заявление зарегистрировано",
        body="Ваше заявление зарегистрировано, регистрационный номер 2026-ПА-000001.",
        link="/lk/",
    )
    page.reload()
    expect(page.locator("#header-unread")).to_have_text("1")
    page.locator("summary.user-menu__toggle").click()
    page.get_by_role("link", name=re.compile("^Уведомления")).click()
    expect(page.locator(".notice-item--unread")).to_have_count(1)
    look(page, screenshot_dir, "notifications")
    page.get_by_role("button", name=re.compile("^Отметить как прочитанное")).click()
    expect(page.locator(".notice-item--unread")).to_have_count(0)
    expect(page.locator("#header-unread")).to_have_count(0)

    # «Выход» from the menu under the name.
    page.locator("summary.user-menu__toggle").click()
    expect(page.get_by_role("link", name="Личные данные")).to_be_visible()
    page.get_by_role("button", name="Выход").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("summary.user-menu__toggle")).to_have_count(0)
    page.goto("/lk/")
    expect(page).to_have_url(re.compile(r"/login/|/aas/oauth2/"))
    assert page.external_requests == []
