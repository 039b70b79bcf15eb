"""Accreditation from the application to the public check, tried as new users would, in Chromium.

Everyone logs in through the ЕСИА emulator over HTTP, each in a browser context of their own (fresh
cookies), on the demo data (`load_dictionaries`, `load_demo`):

1. the doctor Иванова fills in the periodic application with real PDF files and sees the progress bar;
   a PNG renamed to .pdf and a 26 MB PDF are refused at their rows, everything else stays; she sends it,
   sees «Отправлено — ожидает проверки» and no notification; logs out;
2. the centre's Соколов finds it in the queue from the header menu, opens a document inline, registers it;
3. the doctor sees the notification with the registration number;
4. Соколов passes it to the commission; the secretary Морозова records «Аккредитован»;
5. the doctor sees the decision, downloads the extract from her cabinet; the QR code read back from the
   PDF's image opens the public check page.

Screenshots: var/screenshots/e2e-*.png (1280 px, the worker's pages also 390 px).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from frmr.accreditation.models import Application, ApplicationStatus
from frmr.notifications.models import Notification
from tests import pdfs
from tests.conftest import allow_only_local
from tests.esia_fixtures import esia_emulator_db, esia_emulator_server  # noqa: F401 - fixtures
from tests.qr import decode_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo12345"
DOCTOR = ("112-233-445 95", "Иванова Анна Сергеевна")
CENTRE = ("167-234-589 88", "Соколов Игорь Андреевич")
SECRETARY = ("178-345-612 00", "Морозова Татьяна Ивановна")
DESKTOP, PHONE = 1280, 390


@pytest.fixture
def site(settings: Any, live_server: Any, esia_emulator_server: str) -> str:  # noqa: F811
    """The demo stand on the live server, with ЕСИА = the emulator and the extract's links to it."""
    settings.ESIA_BASE_URL = esia_emulator_server
    settings.ESIA_REDIRECT_URI = f"{live_server.url}/login/esia/callback/"
    settings.SITE_URL = live_server.url
    call_command("load_dictionaries", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return str(live_server.url)


@pytest.fixture
def new_page(browser: Browser, site: str) -> Iterator[Callable[[], Page]]:
    """A page in a fresh browser context (one per person), refusing requests that leave this machine."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(
            base_url=site, locale="ru-RU", viewport={"width": DESKTOP, "height": 900}, accept_downloads=True
        )
        allow_only_local(context)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        assert context.external_requests == []  # type: ignore[attr-defined]
        context.close()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "passport": ("Паспорт.pdf", pdfs.pdf_bytes(2)),
        "snils": ("СНИЛС.pdf", pdfs.pdf_bytes()),
        "diploma": ("Диплом РНИМУ 2008.pdf", pdfs.big_pdf_bytes(8 * 1024 * 1024)),
        "course1": ("Удостоверение ПК 2019.pdf", pdfs.pdf_bytes()),
        "course2": ("Удостоверение ПК 2024.pdf", pdfs.pdf_bytes()),
        "previous": ("Свидетельство об аккредитации 2022.pdf", pdfs.pdf_bytes()),
        "employment": ("Сведения о трудовой деятельности.pdf", pdfs.pdf_bytes(3)),
        "portfolio": ("Отчёт о профессиональной деятельности.pdf", pdfs.pdf_bytes(5)),
        "png": ("фото СНИЛС.pdf", pdfs.PNG_BYTES),
        "huge": ("скан диплома 26 МБ.pdf", pdfs.big_pdf_bytes(26 * 1024 * 1024)),
    }
    paths = {}
    for key, (name, data) in made.items():
        folder = tmp_path / key
        folder.mkdir()
        (folder / name).write_bytes(data)
        paths[key] = folder / name
    return paths


OVERFLOWING = """(limit) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > limit + 1)
  .slice(0, 5)
  .map(el => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""


def shoot(page: Page, name: str, *, phone: bool = False) -> None:
    """Screenshots into var/screenshots/e2e-<name>-<width>.png; nothing may overflow sideways."""
    page.screenshot(path=f"var/screenshots/e2e-{name}-{DESKTOP}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP, f"{name} overflows at {DESKTOP} px"
    if phone:
        page.set_viewport_size({"width": PHONE, "height": 844})
        page.screenshot(path=f"var/screenshots/e2e-{name}-{PHONE}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(OVERFLOWING, PHONE) if width > PHONE else []
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        assert width <= PHONE, f"{name} overflows at {PHONE} px: {wide}"


def log_in(page: Page, who: tuple[str, str]) -> None:
    login, name = who
    page.goto("/")
    page.get_by_role("link", name="Войти").click()
    page.get_by_label("Телефон / Email / СНИЛС").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("summary.user-menu__toggle")).to_contain_text(name)


def open_menu_item(page: Page, name: str | re.Pattern[str]) -> None:
    page.locator("summary.user-menu__toggle").click()
    page.locator(".user-menu").get_by_role("link", name=name).click()


def log_out(page: Page) -> None:
    page.locator("summary.user-menu__toggle").click()
    page.get_by_role("button", name="Выход").click()
    expect(page.get_by_text("Вы вышли из личного кабинета.")).to_be_visible()


def upload(page: Page, row: str, path: Path) -> None:
    page.set_input_files(f"#file-{row}", str(path))
    expect(page.locator(f"#row-file-{row}[data-uploaded] .doc-row__name")).to_have_text(path.name)
    expect(page.locator(f"#row-file-{row} .doc-row__percent")).to_have_text("Загружено")


def wait_until(page: Page, condition: Callable[[], bool], seconds: float = 10) -> None:
    """Poll a condition on the browser's state, letting Playwright take its events in between."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true"
        page.wait_for_timeout(100)


# Records every value the rows' progress bars take, to prove the bar moves while a file is sent.
WATCH_PROGRESS = """() => {
  window.progressSeen = [];
  new MutationObserver(records => records.forEach(r => {
    if (r.attributeName === 'aria-valuenow')
      window.progressSeen.push(Number(r.target.getAttribute('aria-valuenow')));
  })).observe(document.getElementById('application-form'), {attributes: true, subtree: true});
}"""


def test_application_to_extract_and_public_check(
    new_page: Callable[[], Page], site: str, files: dict[str, Path]
) -> None:
    # --- 1. The doctor applies ------------------------------------------------------------------------
    doctor = new_page()
    log_in(doctor, DOCTOR)
    expect(doctor).to_have_url(f"{site}/lk/")
    expect(doctor.locator(".warning-box").first).to_contain_text("истекает")
    doctor.locator(".warning-box").first.get_by_role("link", name="Подать заявление на аккредитацию").click()
    doctor.get_by_role("button", name="Начать заполнение").click()
    expect(doctor.locator("h1")).to_have_text("Заявление на аккредитацию")
    # upload.js has taken over the form (per-row uploads, self-refreshing choices).
    expect(doctor.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    expect(doctor.get_by_label("Электронная почта")).to_have_value("ivanova.as@example.ru")
    expect(doctor.get_by_label("Периодическая аккредитация")).to_be_checked()
    with doctor.expect_navigation():
        doctor.get_by_label("Уровень образования").select_option(label="Высшее образование")
    with doctor.expect_navigation():
        doctor.get_by_label("Вид специальности").select_option(label="Врачебные специальности")
    doctor.locator("#id_specialty").select_option(label="Терапия")
    doctor.get_by_label("Контактный телефон").fill("+7 916 123-45-01")

    doctor.evaluate(WATCH_PROGRESS)
    # The diploma (8 MB) is sent slowly enough to catch its bar half way.
    cdp = doctor.context.new_cdp_session(doctor)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 4 * 1024 * 1024},
    )
    doctor.set_input_files("#file-diploma-0", str(files["diploma"]))
    expect(doctor.locator("#row-file-diploma-0 .doc-row__progress")).to_be_visible()
    doctor.wait_for_function(
        "() => { const v = Number(document.querySelector('#row-file-diploma-0 [role=progressbar]')"
        "?.getAttribute('aria-valuenow')); return v > 0 && v < 100; }"
    )
    shoot(doctor, "01-upload-progress")
    expect(doctor.locator("#row-file-diploma-0 .doc-row__percent")).to_have_text("Загружено", timeout=30_000)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    seen = doctor.evaluate("window.progressSeen")
    assert any(0 < value < 100 for value in seen), seen

    upload(doctor, "passport-0", files["passport"])
    # A PNG named .pdf is refused by the server, a 26 MB PDF before it is sent; both at their rows.
    doctor.set_input_files("#file-snils-0", str(files["png"]))
    expect(doctor.locator("#row-file-snils-0 .field__error")).to_contain_text("не является документом PDF")
    doctor.set_input_files("#file-course_certificate-0", str(files["huge"]))
    expect(doctor.locator("#row-file-course_certificate-0 .field__error")).to_contain_text(
        "Файл больше 25 МБ"
    )
    expect(doctor.locator("#row-file-passport-0 .doc-row__name")).to_have_text("Паспорт.pdf")
    expect(doctor.locator("#row-file-diploma-0 .doc-row__name")).to_have_text(files["diploma"].name)
    expect(doctor.locator("#id_specialty")).to_have_value("1085")
    shoot(doctor, "02-refused-rows", phone=True)

    upload(doctor, "snils-0", files["snils"])
    upload(doctor, "course_certificate-0", files["course1"])
    with doctor.expect_navigation():
        doctor.locator("#group-course_certificate").get_by_role("button", name="Добавить ещё").click()
    expect(doctor.get_by_label("Контактный телефон")).to_have_value("+7 916 123-45-01")  # saved on the way
    upload(doctor, "course_certificate-1", files["course2"])
    upload(doctor, "previous_accreditation-0", files["previous"])
    upload(doctor, "employment_record-0", files["employment"])
    upload(doctor, "portfolio-0", files["portfolio"])
    doctor.get_by_role("textbox", name="Комментарий").fill(
        "С 01.02.2025 по 30.04.2025 — отпуск по уходу за ребёнком."
    )
    doctor.get_by_label(re.compile("^Даю согласие на обработку")).check()
    shoot(doctor, "03-form-filled", phone=True)
    with doctor.expect_navigation():
        doctor.get_by_role("button", name="Отправить заявление").click()
    # Issue 12.5: the answers are shown to check before anything is sent.
    expect(doctor.locator("h1")).to_have_text("Проверьте заявление")
    with doctor.expect_navigation():
        doctor.get_by_role("button", name="Отправить заявление").click()
    expect(doctor.locator("h1")).to_have_text("Заявление отправлено")
    doctor.get_by_role("link", name="Открыть заявление").click()
    expect(doctor.locator("main")).to_contain_text("Срок проверки центром")
    doctor.goto("/lk/application/")
    row = doctor.locator("tr", has_text="Терапия")
    expect(row).to_contain_text("Отправлено — ожидает проверки")
    shoot(doctor, "04-sent", phone=True)
    application = Application.objects.get(person__snils="11223344595")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.documents.count() == 8
    assert not Notification.objects.filter(recipient=application.applicant).exists()
    expect(doctor.locator("#header-unread")).to_have_count(0)
    # The cabinet's main page shows it too.
    open_menu_item(doctor, "Личный кабинет")
    expect(doctor.locator("#applications-title + *")).to_contain_text("Отправлено — ожидает проверки")
    log_out(doctor)

    # --- 2. The centre registers it -----------------------------------------------------------------
    centre = new_page()
    log_in(centre, CENTRE)
    expect(centre).to_have_url(f"{site}/fac/")
    centre.goto("/")
    centre.locator("summary.user-menu__toggle").click()
    shoot(centre, "05-menu")
    centre.locator(".user-menu").get_by_role("link", name="Заявления на аккредитацию").click()
    expect(centre.locator("h1")).to_have_text("Заявления на аккредитацию")
    shoot(centre, "05-queue")
    centre.get_by_role("link", name=DOCTOR[1]).click()
    expect(centre.locator("h1")).to_contain_text("Заявление")
    expect(centre.get_by_text("112-233-445 95").first).to_be_visible()
    with centre.expect_response(re.compile(r"/documents/\d+/")) as answer:
        centre.get_by_role("link", name="Паспорт.pdf").click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    # Chromium's own PDF viewer opens in the page's viewer frame (headless, it paints no pixels).
    wait_until(centre, lambda: any(f.url.startswith("chrome-extension://") for f in centre.frames))
    viewer = centre.frame(name="doc-viewer")
    assert viewer is not None and re.search(r"/fac/documents/\d+/$", viewer.url)
    shoot(centre, "06-application")
    centre.get_by_role("button", name="Зарегистрировать").click()
    # Irreversible: a confirmation step says so before anything happens (issue 12.2).
    expect(centre.locator("h1")).to_contain_text("Подтвердите регистрацию")
    expect(centre.get_by_text("После регистрации заявление нельзя вернуть в черновик")).to_be_visible()
    shoot(centre, "06b-register-confirm")
    centre.get_by_role("button", name="Подтвердить регистрацию").click()
    expect(centre.locator(".message--success")).to_contain_text("зарегистрировано")
    application.refresh_from_db()
    number = application.registration_number
    assert re.fullmatch(rf"{timezone.localdate().year}-ПРА-\d{{6}}", number)
    expect(centre.get_by_text(number).first).to_be_visible()
    shoot(centre, "07-registered")
    log_out(centre)

    # --- 3. The doctor sees the registration number -----------------------------------------------------
    log_in(doctor, DOCTOR)
    expect(doctor.locator("#header-unread")).to_have_text("1")
    open_menu_item(doctor, re.compile("^Уведомления"))
    expect(doctor.locator(".notice-item--unread")).to_contain_text(f"регистрационный номер {number}")
    shoot(doctor, "08-notification", phone=True)

    # --- 4. The centre passes it to the commission; the secretary records the decision ------------------
    log_in(centre, CENTRE)
    centre.get_by_role("link", name=DOCTOR[1]).click()
    centre.get_by_role("button", name="Передать в комиссию").click()
    expect(centre.locator(".message--success")).to_contain_text("передано в аккредитационную комиссию")
    log_out(centre)

    secretary = new_page()
    log_in(secretary, SECRETARY)
    expect(secretary).to_have_url(f"{site}/fac/")
    secretary.get_by_role("link", name=DOCTOR[1]).click()
    form = secretary.locator("form", has_text="Решение аккредитационной комиссии")
    form.get_by_label("Аккредитован", exact=True).check()
    form.get_by_label("Номер протокола").fill("45/26")
    form.get_by_label("Дата протокола").fill(timezone.localdate().isoformat())
    shoot(secretary, "09-decision-form")
    form.get_by_role("button", name="Внести решение").click()
    expect(secretary.locator("h1")).to_contain_text("Подтвердите решение комиссии")
    expect(secretary.get_by_text("№ 45/26")).to_be_visible()
    shoot(secretary, "09b-decision-confirm")
    secretary.get_by_role("button", name="Подтвердить решение").click()
    expect(secretary.locator(".message--success")).to_contain_text("Решение комиссии внесено")
    shoot(secretary, "10-decided")
    application.refresh_from_db()
    record = application.accreditation_record
    assert application.status == ApplicationStatus.ACCREDITED and record is not None
    log_out(secretary)

    # --- 5. The doctor downloads the extract; its QR code opens the public check -------------------------
    doctor.goto("/lk/")
    # Registered (read above but not marked), passed to the commission, decided.
    expect(doctor.locator("#header-unread")).to_have_text("3")
    open_menu_item(doctor, re.compile("^Уведомления"))
    decision = doctor.locator(".notice-item--unread").first
    expect(decision).to_contain_text("Вы аккредитованы")
    expect(decision).to_contain_text(record.registry_number)
    shoot(doctor, "11-decision-notification", phone=True)
    open_menu_item(doctor, "Личный кабинет")
    shoot(doctor, "12-cabinet-accredited", phone=True)
    with doctor.expect_download() as download_info:
        doctor.get_by_role("link", name=re.compile(f"Выписка.*{re.escape(record.registry_number)}")).click()
    extract = Path(download_info.value.path()).read_bytes()
    pdf = pikepdf.open(io.BytesIO(extract))
    assert len(pdf.pages) == 1
    assert str(pdf.docinfo["/Keywords"]) == record.registry_number
    images = list(pdf.pages[0].get_images().values())
    assert len(images) == 1
    qr_url = decode_image(pikepdf.PdfImage(images[0]).as_pil_image())
    assert qr_url == f"{site}/check/{record.registry_number}"

    # The application itself says so too, with the same extract.
    doctor.get_by_role("link", name="Все мои заявления").click()
    doctor.get_by_role("link", name=re.compile("^Открыть")).click()
    expect(doctor.locator("main")).to_contain_text(f"№ {record.registry_number}")
    expect(doctor.get_by_role("link", name="Скачать выписку об аккредитации (PDF)")).to_be_visible()
    shoot(doctor, "12-application-accredited", phone=True)

    visitor = new_page()
    visitor.goto(qr_url)
    main = visitor.locator("main")
    for expected in (
        "Иванова Анна Сергеевна",
        "Терапия",
        "Периодическая аккредитация",
        f"{record.pass_date:%d.%m.%Y}",
        f"{record.end_date:%d.%m.%Y}",
        "действительна",
    ):
        expect(main).to_contain_text(expected)
    expect(main).not_to_contain_text("112-233-445 95")
    shoot(visitor, "13-public-check", phone=True)
