"""Issue 12, points 5 and 6 in Chromium: jump links, a change of kind that keeps the files, «Проверьте
заявление» with «Изменить» links, «Заявление отправлено» with the deadline; at 1280 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from frmr.accounts.models import User
from frmr.accreditation.models import Application, ApplicationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 390)


def log_in(page: Page, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def look(page: Page, name: str, screenshot_dir: str) -> None:
    """Screenshot at both widths; nothing may overflow sideways at either."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/issue12-{name}-{width}.png", full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} overflows at {width} px: {scroll}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_check_and_send_the_application(
    page: Page, live_server: Any, complete_draft: Application, practising: User, screenshot_dir: str
) -> None:
    log_in(page, live_server, practising)
    page.goto(f"/lk/application/{complete_draft.pk}/edit/")
    expect(page.locator("html")).to_have_class("js")
    contents = page.get_by_role("navigation", name="Разделы заявления")
    contents.get_by_role("link", name="Документы").click()
    expect(page).to_have_url(f"{live_server.url}/lk/application/{complete_draft.pk}/edit/#section-documents")
    look(page, "form", screenshot_dir)

    # Point 6: the kind changes the documents at once; nothing attached is lost.
    expect(page.locator("#group-portfolio")).to_be_visible()
    with page.expect_navigation():
        page.get_by_label("Первичная аккредитация", exact=True).check()
    expect(page.locator("#group-portfolio")).to_have_count(0)
    expect(page.locator("#row-file-passport-0 .doc-row__name")).to_have_text("passport.pdf")
    with page.expect_navigation():
        page.get_by_label("Периодическая аккредитация").check()
    expect(page.locator("#row-file-portfolio-0 .doc-row__name")).to_have_text("portfolio.pdf")

    # Point 5: «Отправить заявление» shows the answers first.
    page.get_by_role("button", name="Отправить заявление").click()
    expect(page.locator("h1")).to_have_text("Проверьте заявление")
    expect(page.locator("main")).to_contain_text("+7 912 345-67-89")
    complete_draft.refresh_from_db()
    assert complete_draft.status == ApplicationStatus.DRAFT
    look(page, "review", screenshot_dir)
    page.get_by_role("link", name="Изменить контактные данные").click()
    expect(page.locator("h1")).to_have_text("Заявление на аккредитацию")
    assert page.url.endswith("#section-contacts")
    page.get_by_role("button", name="Отправить заявление").click()
    expect(page.locator("h1")).to_have_text("Проверьте заявление")
    page.get_by_role("button", name="Отправить заявление").click()

    expect(page.locator("h1")).to_have_text("Заявление отправлено")
    complete_draft.refresh_from_db()
    assert complete_draft.status == ApplicationStatus.SUBMITTED and complete_draft.check_deadline
    deadline = f"{complete_draft.check_deadline:%d.%m.%Y}"
    expect(page.get_by_role("heading", name="Что будет дальше")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"до {deadline}")
    expect(page.locator("main")).not_to_contain_text("доставлен")
    look(page, "sent", screenshot_dir)
    page.get_by_role("link", name="Открыть заявление").click()
    expect(page.locator("main")).to_contain_text("Срок проверки центром")
    expect(page.locator("main")).to_contain_text(f"до {deadline}")
    look(page, "detail", screenshot_dir)
