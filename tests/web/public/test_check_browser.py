"""Issue 12.7 in Chromium: `/check/` is a form; a malformed number is refused in Russian, a good one opens
its record; at 1280 and 390 px without sideways overflow."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.public.test_check import make_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(page: Page, name: str, screenshot_dir: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/issue12-{name}-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} overflows at {width}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_visitor_types_a_number(page: Page, live_server: Any, screenshot_dir: str) -> None:
    today = datetime.date.today()
    make_record("2026-0000042", today, today + datetime.timedelta(days=100))
    page.goto("/")
    page.get_by_role("link", name="проверить аккредитацию").click()
    expect(page.locator("h1")).to_have_text("Проверка аккредитации специалиста")
    look(page, "check-form", screenshot_dir)
    page.get_by_label("Номер реестровой записи").fill("20260-ABC")
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator(".error-summary")).to_contain_text("Номер реестровой записи состоит из цифр")
    expect(page.get_by_label("Номер реестровой записи")).to_have_value("20260-ABC")
    look(page, "check-form-error", screenshot_dir)
    page.get_by_label("Номер реестровой записи").fill("2026-0000042")
    page.get_by_role("button", name="Проверить").click()
    expect(page).to_have_url(f"{live_server.url}/check/2026-0000042")
    expect(page.locator("main")).to_contain_text("Смирнова Анна Олеговна")
    look(page, "check-record", screenshot_dir)
