"""The seed article's login, in Chromium, through the ЕСИА emulator over real HTTP.

Start page → «Войти» → the emulator's form → login + password → the cabinet with the ФИО at the top
right → menu → «Выход» → the start page, with the ЕСИА session ended too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.esia_people import make_ivanova

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo12345"


@pytest.fixture
def esia(settings: Any, live_server: Any, esia_emulator_server: str) -> str:
    settings.ESIA_BASE_URL = esia_emulator_server
    settings.ESIA_REDIRECT_URI = f"{live_server.url}/login/esia/callback/"
    return esia_emulator_server


def click_login(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Войти").click()
    expect(page.get_by_label("Телефон / Email / СНИЛС")).to_be_visible()


def submit_password(page: Page, login: str, *, remember: bool = False) -> None:
    page.get_by_label("Телефон / Email / СНИЛС").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    if remember:
        page.get_by_label("Запомнить меня").check()
    page.get_by_role("button", name="Войти").click()


def assert_in_cabinet_as_ivanova(page: Page, live_server: Any) -> None:
    expect(page).to_have_url(f"{live_server.url}/lk/")
    toggle = page.locator("summary.user-menu__toggle")
    expect(toggle).to_have_text("Иванова Анна Сергеевна")
    box = toggle.bounding_box()
    assert box is not None and box["x"] > page.viewport_size["width"] / 2, "the ФИО stands at the top right"
    assert box["y"] < 100
    expect(page.locator("#lk-snils")).to_have_text("112-233-445 95")


def log_out_from_menu(page: Page, live_server: Any) -> None:
    page.locator("summary.user-menu__toggle").click()
    expect(page.locator(".user-menu").get_by_role("link", name="Личные данные", exact=True)).to_be_visible()
    page.get_by_role("button", name="Выход").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Вы вышли из личного кабинета.")).to_be_visible()
    expect(page.locator("summary.user-menu__toggle")).to_have_count(0)


@pytest.mark.parametrize("login", ["112-233-445 95", "+7 916 123-45-01", "ivanova.as@example.ru"])
def test_login_and_logout(page: Page, live_server: Any, esia: str, screenshot_dir: str, login: str) -> None:
    make_ivanova()
    click_login(page)
    submit_password(page, login)
    assert_in_cabinet_as_ivanova(page, live_server)
    expect(page.get_by_text("ГБУЗ «Городская клиническая больница № 1»")).to_be_visible()
    if login.startswith("112"):
        page.screenshot(path=f"{screenshot_dir}/lk-1280.png", full_page=True)
        page.locator("summary.user-menu__toggle").click()
        page.screenshot(path=f"{screenshot_dir}/lk-menu-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{screenshot_dir}/lk-390.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1280, "height": 900})
        page.keyboard.press("Escape")
    log_out_from_menu(page, live_server)
    # «Выход» ended the ЕСИА session as well: the next «Войти» asks for the password again.
    click_login(page)
    assert page.external_requests == []


def test_remember_me_skips_the_form_until_full_logout(page: Page, live_server: Any, esia: str) -> None:
    make_ivanova()
    click_login(page)
    submit_password(page, "11223344595", remember=True)
    assert_in_cabinet_as_ivanova(page, live_server)
    # The product's session ends (expired, or the browser dropped it) while ЕСИА remembers the person.
    page.context.clear_cookies(name="sessionid")
    page.goto("/lk/")
    expect(page).to_have_url(f"{live_server.url}/lk/")
    expect(page.locator("summary.user-menu__toggle")).to_have_text("Иванова Анна Сергеевна")
    # Our «Выход» ends ЕСИА's remembered session too, so the form comes back.
    log_out_from_menu(page, live_server)
    click_login(page)


def test_qr_login_confirmed_in_another_browser(
    page: Page, browser: Any, live_server: Any, esia: str, screenshot_dir: str
) -> None:
    make_ivanova()
    click_login(page)
    page.get_by_role("link", name="QR-код в приложении Госуслуги").click()
    link = page.locator("a[data-qr-confirm]").get_attribute("href")
    assert link
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    try:
        other = phone.new_page()
        other.goto(link if link.startswith("http") else esia + link)
        other.get_by_label("Телефон / Email / СНИЛС").fill("ivanova.as@example.ru")
        other.get_by_label("Пароль").fill(PASSWORD)
        other.get_by_role("button", name="Войти").click()
        other.get_by_role("button", name="Подтвердить вход").click()
    finally:
        phone.close()
    # The first browser notices the confirmation by itself (it polls), or by «Проверить».
    try:
        page.wait_for_url(f"{live_server.url}/lk/", timeout=8000)
    except Exception:
        page.get_by_role("button", name="Проверить").click()
    assert_in_cabinet_as_ivanova(page, live_server)


def test_electronic_signature_login(page: Page, live_server: Any, esia: str) -> None:
    make_ivanova()
    click_login(page)
    page.get_by_role("link", name="Электронная подпись").click()
    page.get_by_label("Телефон / Email / СНИЛС").fill("11223344595")
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_label("PIN-код носителя").fill("12345678")
    page.get_by_role("button", name="Войти").click()
    assert_in_cabinet_as_ivanova(page, live_server)


def test_person_without_record_sees_the_no_data_page(
    page: Page, live_server: Any, esia: str, screenshot_dir: str
) -> None:
    make_ivanova()  # somebody else's record must not matter
    click_login(page)
    submit_password(page, "19056783401")
    expect(page).to_have_url(f"{live_server.url}/no-data/")
    expect(page.get_by_role("heading", name="Сведений о вас в регистре пока нет")).to_be_visible()
    expect(page.locator("summary.user-menu__toggle")).to_have_text("Новиков Павел Александрович")
    expect(page.get_by_text("работодатель", exact=False).first).to_be_visible()
    page.screenshot(path=f"{screenshot_dir}/no-data-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/no-data-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto("/lk/")
    expect(page).to_have_url(f"{live_server.url}/no-data/")


def test_user_refusal_shows_a_calm_page(page: Page, live_server: Any, esia: str, screenshot_dir: str) -> None:
    click_login(page)
    page.get_by_role("link", name=re.compile("Отказаться")).click()
    expect(page.get_by_role("heading", name="Вход отменён")).to_be_visible()
    page.screenshot(path=f"{screenshot_dir}/login-cancelled-1280.png", full_page=True)
    page.get_by_role("link", name="Попробовать снова").click()
    expect(page.get_by_label("Телефон / Email / СНИЛС")).to_be_visible()


def test_esia_down_shows_a_page(page: Page, live_server: Any, settings: Any, screenshot_dir: str) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings.ESIA_BASE_URL = closed
    settings.ESIA_REDIRECT_URI = f"{live_server.url}/login/esia/callback/"
    # The browser could not show ЕСИА's page either; what the portal controls is the code exchange.
    started = page.request.get("/login/", max_redirects=0)
    state = re.search(r"state=([0-9a-f-]+)", started.headers["location"])
    assert state, started.headers
    response = page.goto(f"/login/esia/callback/?code=x&state={state.group(1)}")
    assert response is not None and response.status == 503
    expect(page.get_by_role("heading", name="Госуслуги временно недоступны")).to_be_visible()
    page.screenshot(path=f"{screenshot_dir}/esia-down-1280.png", full_page=True)


def test_several_roles_choose_one(page: Page, live_server: Any, esia: str, screenshot_dir: str) -> None:
    from frmr.accounts.models import Role, RoleGrant, User
    from tests.esia_people import IVANOVA_SNILS, make_organization

    make_ivanova()
    # An administrator prepared the account by СНИЛС before the first login and granted roles.
    prepared = User.objects.create(username="ivanova-prepared", snils=IVANOVA_SNILS)
    RoleGrant.objects.create(user=prepared, role=Role.OPERATOR, organization=make_organization())
    click_login(page)
    submit_password(page, "11223344595")
    expect(page).to_have_url(f"{live_server.url}/choose-role/")
    operator = "Перейти: Оператор медицинской организации, ГБУЗ «Городская клиническая больница № 1»"
    expect(page.get_by_role("button", name=operator)).to_be_visible()  # the employer cabinet exists
    page.screenshot(path=f"{screenshot_dir}/choose-role-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/choose-role-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Перейти: Медицинский работник").click()
    expect(page).to_have_url(f"{live_server.url}/lk/")
