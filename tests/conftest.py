"""Shared fixtures: the browser harness (Playwright driving Debian's Chromium) and database markers.

Role fixtures (worker, operators, ФАЦ staff, …) live in tests/roles.py and are registered below.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytest_plugins = ["tests.roles"]

CHROMIUM = os.environ.get("FRMR_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true" or os.environ.get("FRMR_REQUIRE_BROWSER") == "1"
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run from a
# thread with a running loop unless told that this is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Flags that keep Chromium from reaching out to the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = connection.vendor == "postgresql"
    have_browser = shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    skip_browser = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            if os.environ.get("CI") == "true":
                raise pytest.UsageError("CI must run on PostgreSQL, but the database is not PostgreSQL")
            item.add_marker(skip_pg)
        if "browser" in item.keywords and not have_browser:
            if IN_CI:
                raise pytest.UsageError(f"CI must run the browser tests, but {CHROMIUM} is missing")
            item.add_marker(skip_browser)
    # Browser tests run last: the fast tests fail first, and nothing forks after Playwright has started.
    # Playwright's sync API leaves an event loop on the main thread, which makes Django keep database
    # connections per context instead of per thread; a process forked then (generate_register's
    # workers) can inherit and share a connection of its parent.
    items[:] = [item for item in items if "browser" not in item.keywords] + [
        item for item in items if "browser" in item.keywords
    ]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh browser context (no cookies) with a page; external requests are refused and recorded."""
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    allow_only_local(context)
    page = context.new_page()
    page.external_requests = context.external_requests  # type: ignore[attr-defined]
    yield page
    context.close()


def allow_only_local(context: BrowserContext) -> None:
    """Refuse requests that would leave this machine; they are listed in `context.external_requests`."""
    external: list[str] = []
    # chrome:// and chrome-extension:// are the browser's own PDF viewer, not the network.
    allowed = (
        "http://127.0.0.1",
        "http://localhost",
        "data:",
        "blob:",
        "about:",
        "chrome://",
        "chrome-extension://",
    )

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(allowed):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    context.external_requests = external  # type: ignore[attr-defined]


@pytest.fixture
def screenshot_dir() -> str:
    path = os.path.join("var", "screenshots")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _private_media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded documents of a test go to a fresh directory, never into var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
