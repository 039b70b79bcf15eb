"""`make run` on other ports: only FRMR_RUN_ADDR and ESIA_EMULATOR_ADDR set, and «Войти» still works.

Starts scripts/devserver.py itself (migrations, dictionaries, demo data, the emulator, the worker) in a
fresh directory, then walks the demo login in Chromium: the start page → «Войти» → the emulator on its
moved port → back to the cabinet on the app's moved port. The app's log must not hold the callback's
code or state. Ports: FRMR_TEST_STAND_PORTS="APP,ESIA", or two free ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import allow_only_local
from tests.servers import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]


def _ports() -> tuple[int, int]:
    given = os.environ.get("FRMR_TEST_STAND_PORTS")
    if given:
        app, esia = (int(part) for part in given.split(","))
        return app, esia
    return free_port(), free_port()


@pytest.fixture
def moved_stand(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    app_port, esia_port = _ports()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FRMR_", "DJANGO_", "ESIA_", "DATABASE_"))
    }
    env.update(
        FRMR_RUN_ADDR=f"127.0.0.1:{app_port}",
        ESIA_EMULATOR_ADDR=f"127.0.0.1:{esia_port}",
        FRMR_VAR_DIR=str(tmp_path),
        ESIA_EMULATOR_VAR_DIR=str(tmp_path),
    )
    log_path = tmp_path / "devserver.log"
    with log_path.open("wb") as log:
        stand = subprocess.Popen(
            [sys.executable, "scripts/devserver.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while "Остановить: Ctrl-C" not in log_path.read_text(errors="replace"):
            if stand.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the stand did not start: {log_path.read_text(errors='replace')}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{esia_port}", log_path
    finally:
        stand.send_signal(signal.SIGTERM)  # the stand stops its children itself
        try:
            stand.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(stand.pid, signal.SIGKILL)
            stand.wait()


def test_login_goes_through_the_moved_emulator_and_back(
    browser: Any, moved_stand: tuple[str, str, Path]
) -> None:
    site, esia, log_path = moved_stand
    banner = log_path.read_text(errors="replace")
    assert f"ФРМР запущен: {site}/" in banner and f"Эмулятор ЕСИА: {esia}/" in banner

    context = browser.new_context(base_url=site, locale="ru-RU", viewport={"width": 1280, "height": 900})
    allow_only_local(context)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Войти").click()
        assert page.url.startswith(f"{esia}/"), page.url
        page.get_by_label("Телефон / Email / СНИЛС").fill("112-233-445 95")
        page.get_by_label("Пароль").fill("demo12345")
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url(f"{site}/**", timeout=15_000)
        expect(page.locator("summary.user-menu__toggle")).to_contain_text("Иванова")
        assert page.url.startswith(f"{site}/lk/") or page.url.startswith(f"{site}/choose-role/"), page.url

        # The site's own 404 page, not Django's list of URL patterns.
        page.goto("/no-such-page/")
        expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()
        assert "URLconf" not in page.content()
        assert context.external_requests == []  # type: ignore[attr-defined]
    finally:
        context.close()

    logged = log_path.read_text(errors="replace")
    assert "/login/esia/callback/?code=[скрыто]&state=[скрыто]" in logged
    callback_lines = [line for line in logged.splitlines() if "/login/esia/callback/?" in line]
    assert callback_lines and all("code=[скрыто]" in line for line in callback_lines)
