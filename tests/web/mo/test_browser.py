"""The employer cabinet in Chromium, as a demo operator would try it (issue 6, «done when»)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from frmr.accounts.models import User
from frmr.corrections.services import correction_request_create
from frmr.notifications.models import Notification
from frmr.registry.models import Organization, Person
from tests.factories import EmploymentCardFactory, PersonFactory, valid_snils

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, user: User, live_server: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def shoot(page: Any, directory: str, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{directory}/mo-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{directory}/mo-{name}-390.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: the page overflows a phone's width ({width}px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def template_with_bad_row(page: Any, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name="Шаблон CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig")), delimiter=";"))
    good = dict(zip(rows[0], rows[1], strict=True), **{"СНИЛС": valid_snils(4241)})
    bad = dict(good, **{"СНИЛС": "112-233-445 96", "Фамилия": "Соколова", "Имя": "Вера"})
    second = dict(good, **{"СНИЛС": valid_snils(4242), "Фамилия": "Лебедева", "Имя": "Нина"})
    path = tmp_path / "сотрудники.csv"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=rows[0], delimiter=";")
    writer.writeheader()
    writer.writerows([good, bad, second])
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def test_operator_day_in_chromium(
    page: Any,
    live_server: Any,
    screenshot_dir: str,
    tmp_path: Path,
    operator_a: User,
    worker: User,
    org_a: Organization,
    employee: Person,
    dictionaries: None,
) -> None:
    leaving = PersonFactory(last_name="Орлов", first_name="Пётр", patronymic="Ильич", gender=1)
    EmploymentCardFactory(person=leaving, organization=org_a, department=org_a.departments.get())
    correction = correction_request_create(
        actor=worker,
        organization=org_a,
        section="personal",
        text="В отчестве опечатка",
        expected_value="Петровна",
    )
    log_in(page, operator_a, live_server)

    # 1. Find an employee with a typo in the surname (trigrams on PostgreSQL; whole words on SQLite).
    page.goto("/mo/")
    fuzzy = connection.vendor == "postgresql"
    page.fill("#q", "кузнецвоа" if fuzzy else "кузнецова")
    page.get_by_role("button", name="Найти").click()
    page.get_by_role("link", name="Кузнецова Мария Викторовна").wait_for()
    shoot(page, screenshot_dir, "employees")

    # 2. Add a new employee by СНИЛС, with education and a card.
    page.get_by_role("link", name="Добавить сотрудника").first.click()
    page.fill("#id_snils", "112-233-445 95")
    page.get_by_role("button", name="Продолжить").click()
    page.fill("#id_last_name", "Белова")
    page.fill("#id_first_name", "Дарья")
    page.fill("#id_patronymic", "Олеговна")
    page.select_option("#id_gender", label="женский")
    page.fill("#id_birth_date", "1990-05-06")
    page.get_by_role("button", name="Внести в регистр").click()
    page.get_by_text("внесена в регистр").wait_for()
    page.get_by_role("link", name="Добавить запись: Профессиональное образование").click()
    page.get_by_role("button", name="Добавить").click()  # empty: the error summary links to the fields
    assert page.locator(".error-summary a").count() >= 5
    shoot(page, screenshot_dir, "form-errors")
    page.select_option("#id_education_type", label="Высшее образование")
    page.select_option(
        "#id_institution_code", label="ФГБОУ ВО «Читинская государственная медицинская академия»"
    )
    page.fill("#id_end_year", "2013")
    page.fill("#id_doc_number", "ВСГ 0123456")
    page.fill("#id_doc_date", "2013-06-28")
    page.fill("#id_specialty_name", "Лечебное дело")
    page.get_by_role("button", name="Добавить").click()
    page.get_by_text("запись сохранена").wait_for()
    page.get_by_role("link", name="Принять на работу").first.click()
    page.select_option("#id_department", label="Терапевтическое отделение")
    page.select_option("#id_position", label="Врач-терапевт")
    page.select_option("#id_position_type", label="Основное место работы")
    page.select_option("#id_rate", label="1 (полная ставка)")
    page.fill("#id_begin_date", "2024-02-01")
    page.get_by_role("button", name="Принять на работу").click()
    page.get_by_text("принята на работу").wait_for()
    assert page.locator("#employment").get_by_text("Врач-терапевт").count() == 1
    assert page.locator("#education").get_by_text("ВСГ 0123456").count() == 1
    assert (
        page.locator("#education").get_by_text("Читинская государственная медицинская академия").count() >= 1
    )
    shoot(page, screenshot_dir, "person")

    # 3. Dismiss another employee; a date before the hire is refused first.
    page.goto("/mo/?q=Орлов")
    page.get_by_role("link", name="Орлов Пётр Ильич").click()
    page.get_by_role("link", name="Уволить").click()
    page.fill("#id_end_date", "2001-01-01")
    page.select_option("#id_end_reason", label="Соглашение сторон")
    page.get_by_role("button", name="Уволить").click()
    page.locator(".error-summary").get_by_text("Дата увольнения не может быть раньше даты приёма.").wait_for()
    page.fill("#id_end_date", "2024-03-31")
    page.get_by_role("button", name="Уволить").click()
    page.get_by_role("heading", name="Подтвердите увольнение: Орлов Пётр Ильич").wait_for()
    shoot(page, screenshot_dir, "dismiss-confirm")
    page.get_by_role("button", name="Изменить").click()  # back to the form, as it was filled in
    assert page.input_value("#id_end_date") == "2024-03-31"
    page.get_by_role("button", name="Уволить").click()
    page.get_by_role("button", name="Подтвердить увольнение").click()
    page.get_by_text("уволен 31.03.2024").first.wait_for()  # Орлов: a man

    # 4. Import the template with one bad row: the dry run shows it; applying loads the other rows.
    page.get_by_role("link", name="Загрузка из файла").click()
    path = template_with_bad_row(page, tmp_path)
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Проверить файл").click()
    errors = page.locator(".mo-table--errors")
    errors.get_by_text("Контрольное число СНИЛС не совпадает").wait_for()
    assert errors.locator("tbody tr").first.locator("td").first.inner_text() == "3"
    shoot(page, screenshot_dir, "import-check")
    page.get_by_role("button", name="Загрузить 2 строки без ошибок").click()
    # A second step says what will happen; nothing is written before «Подтвердить загрузку».
    page.get_by_role("heading", name="Загрузить файл «сотрудники.csv» в регистр?").wait_for()
    page.get_by_text("Будет добавлено работников: 2").wait_for()
    assert not Person.objects.filter(last_name="Лебедева").exists()
    shoot(page, screenshot_dir, "import-confirm")
    page.get_by_role("button", name="Подтвердить загрузку").click()
    page.get_by_text("Загрузка завершена").wait_for()
    assert Person.objects.filter(last_name="Лебедева").exists()
    assert not Person.objects.filter(last_name="Соколова").exists()
    shoot(page, screenshot_dir, "import-done")

    # 5. Answer a correction request; the worker gets the notification.
    page.get_by_role("link", name="Запросы на исправление").click()
    page.get_by_role("link", name=f"№ {correction.pk}").click()
    page.fill("#id_answer", "Исправили отчество в личных данных.")
    page.get_by_role("button", name="Отправить ответ").click()
    page.get_by_text("Ответ отправлен работнику.").wait_for()
    shoot(page, screenshot_dir, "correction")
    assert Notification.objects.filter(recipient=worker).count() == 1

    # 6. An API token is shown once.
    page.get_by_role("link", name="Токены API").click()
    page.fill("#id_name", "МИС поликлиники")
    page.get_by_role("button", name="Выпустить токен").click()
    assert len(page.input_value("#raw-token")) > 30
    shoot(page, screenshot_dir, "token")

    page.context.clear_cookies()
    log_in(page, worker, live_server)
    page.goto("/lk/notifications/")
    page.locator(".notice-item__title").get_by_text(
        f"Ответ на запрос об исправлении данных № {correction.pk}"
    ).wait_for()
    page.screenshot(path=f"{screenshot_dir}/mo-worker-notified-1280.png", full_page=True)
    assert page.external_requests == []


def test_a_change_of_identity_by_import_needs_a_tick_in_chromium(
    page: Any,
    live_server: Any,
    screenshot_dir: str,
    tmp_path: Path,
    operator_a: User,
    employee: Person,
    dictionaries: None,
) -> None:
    """Issue 12.1: the check lists the row that renames a known employee apart; only a tick applies it."""
    log_in(page, operator_a, live_server)
    page.goto("/mo/import/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Шаблон CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig")), delimiter=";"))
    rename = dict(zip(rows[0], rows[1], strict=True), **{"СНИЛС": employee.snils, "Фамилия": "Орлова"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=rows[0], delimiter=";")
    writer.writeheader()
    writer.writerows([rename])
    path = tmp_path / "переименование.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Проверить файл").click()
    section = page.locator(".identity-changes")
    section.get_by_text("Смена ФИО или даты рождения: 1 строка").wait_for()
    assert "фамилия: «Кузнецова» → «Орлова»" in section.inner_text()
    shoot(page, screenshot_dir, "import-identity")
    page.get_by_label("Подтверждаю смену в строке 2").check()
    page.get_by_role("button", name="Загрузить 1 строку").click()
    page.get_by_text("Вы подтвердили смену ФИО или даты рождения в 1 строке").wait_for()
    shoot(page, screenshot_dir, "import-identity-confirm")
    employee.refresh_from_db()
    assert employee.last_name == "Кузнецова"
    page.get_by_role("button", name="Подтвердить загрузку").click()
    page.get_by_text("Загрузка завершена").wait_for()
    employee.refresh_from_db()
    assert employee.last_name == "Орлова"
