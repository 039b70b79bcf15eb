import pytest
from django.test import Client


def test_start_page_has_title_and_login_button(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Федеральный регистр медицинских работников</title>" in html
    assert ">Войти</a>" in html


def test_start_page_sends_strict_csp(client: Client) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_unknown_page_is_404(client: Client) -> None:
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_start_page_in_chromium(page, live_server, screenshot_dir) -> None:
    page.goto("/")
    assert page.title() == "Федеральный регистр медицинских работников"
    button = page.get_by_role("link", name="Войти")
    assert button.is_visible()
    box = button.bounding_box()
    width = page.viewport_size["width"]
    # The seed article: the button stands in the left part of the page, roughly at mid-height.
    assert box is not None and box["x"] + box["width"] / 2 < width / 2
    background = page.eval_on_selector("body", "el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(243, 245, 248)", "the project's own stylesheet must be applied"
    page.screenshot(path=f"{screenshot_dir}/start-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{screenshot_dir}/start-390.png", full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "nothing may overflow horizontally on a phone"
    assert page.external_requests == []
