"""The emulator's pages in Chromium: the QR page moves on by itself under the strict CSP, at phone width."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.esia_fixtures import EsiaTestClient

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CALLBACK = "http://127.0.0.1:9/callback/"


@pytest.mark.browser
def test_qr_page_polls_and_finishes_at_390px(browser: Browser, esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server, redirect_uri=CALLBACK)
    desktop = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    page = desktop.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(client.ac_url())
    assert page.locator("label[for=login]").inner_text() == "Телефон / Email / СНИЛС"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=QR-код в приложении Госуслуги")
    # A string predicate would need eval, which the page's CSP forbids; the load event waits for images.
    page.wait_for_url("**/qr/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.querySelector('img.esia-qr').naturalWidth") > 0
    confirm_url = page.get_attribute("a[data-qr-confirm]", "href")
    assert confirm_url

    phone = browser.new_context().new_page()
    phone.goto(confirm_url)
    phone.fill("#login", "+7 (916) 123-45-03")
    phone.fill("#password", "demo12345")
    phone.click("button[type=submit]")
    with page.expect_request(lambda request: request.url.startswith(CALLBACK), timeout=10_000) as finished:
        phone.click("text=Подтвердить вход")
    assert "code=" in finished.value.url
    assert not problems, problems
    phone.context.close()
    desktop.close()
