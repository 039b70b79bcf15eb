"""Issue 12, points 9, 10, 12 and 13 walked in Chromium on the demo stand, at 1280 and 390 px: the role
chooser of the two-role demo user, the worker's main page (name once, one call to apply), the phone in
one format, the extract in the embedded font, the admin's task table in Russian. Every page visited:
no sideways overflow, headings without skipped levels. Screenshots: var/screenshots/issue12-*.png."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page, expect

from frmr.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
  .filter(h => h.offsetParent !== null || h.closest('.visually-hidden'))
  .map(h => Number(h.tagName[1]))"""


@pytest.fixture
def demo(live_server: Any, settings: Any, tmp_path: Path) -> str:
    settings.VAR_DIR = tmp_path
    call_command("load_dictionaries", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return str(live_server.url)


def log_in(page: Page, live_server: Any, esia_oid: str) -> None:
    client = Client()
    client.force_login(User.objects.get(esia_oid=esia_oid))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def look(page: Page, name: str, screenshot_dir: str) -> None:
    """Both widths: a screenshot, no sideways overflow, headings h1 → h2 → h3 without a skipped level."""
    levels = page.evaluate(HEADINGS)
    assert levels and levels[0] == 1, f"{name}: the first heading is not h1: {levels}"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{name}: heading levels skip: {levels}"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/issue12-{name}-{width}.png", full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} overflows at {width} px: {scroll}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_role_chooser_of_the_two_role_demo_user(
    page: Page, demo: str, live_server: Any, screenshot_dir: str
) -> None:
    log_in(page, live_server, "1000000003")  # Лебедев: worker and commission secretary
    page.goto("/login/done/")
    expect(page).to_have_url(re.compile(r"/choose-role/$"))
    expect(page.locator("main")).to_contain_text("Секретарь")
    look(page, "role-chooser", screenshot_dir)


def test_worker_main_page_phone_and_extract(
    page: Page, demo: str, live_server: Any, screenshot_dir: str
) -> None:
    log_in(page, live_server, "1000000001")  # Иванова
    page.goto("/lk/")
    main = page.locator("main")
    expect(page.locator("h1")).to_have_text("Иванова Анна Сергеевна")
    assert main.inner_text().count("Иванова Анна Сергеевна") == 1
    expect(main.get_by_text("Подать заявление на аккредитацию")).to_have_count(1)
    look(page, "lk-home", screenshot_dir)

    page.get_by_role("link", name="Личные данные").first.click()
    expect(main).to_contain_text("+7 916 123-45-01")
    expect(main).to_contain_text("Номер в регистре")
    page.get_by_role("link", name="Изменить телефон и почту").click()
    expect(page.locator("h1")).to_have_text("Изменить телефон и почту")
    expect(page.get_by_label("Мобильный телефон")).to_have_value("+7 916 123-45-01")
    look(page, "contacts", screenshot_dir)

    page.goto("/lk/file/accreditations/")
    look(page, "accreditations", screenshot_dir)
    number = page.locator("dt:text-is('Номер реестровой записи') + dd").first.inner_text()
    assert re.fullmatch(r"\d{4}-\d{7}", number), number
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Скачать выписку")).first.click()
    data = Path(download.value.path()).read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = [str(font.BaseFont) for p in pdf.pages for font in p.obj.Resources.Font.values()]
        assert fonts and not any("Helvetica" in name for name in fonts), fonts
        assert str(pdf.docinfo["/Keywords"]) == number


def test_admin_task_table_in_russian(page: Page, demo: str, live_server: Any, screenshot_dir: str) -> None:
    log_in(page, live_server, "1000000008")  # Волков, administrator
    page.goto("/admin/")
    expect(page.get_by_role("link", name="Журнал задач", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Фоновые задачи", exact=True)).to_be_visible()
    page.goto("/admin/django_tasks_database/dbtaskresult/")
    text = page.locator("body").inner_text()
    for english in ("Task Result", "Tasks Database", "Enqueued", "Queue name", "Task name"):
        assert english not in text
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/issue12-admin-tasks-{width}.png", full_page=True)
