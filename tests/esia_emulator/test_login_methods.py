"""Login methods over real HTTP: lockout, «Запомнить меня», QR in a second browser, e-signature, logout."""

from __future__ import annotations

import re
import urllib.parse

import gostkit
from tests.esia_emulator.test_protocol import code_from, login_path, password_login, start
from tests.esia_fixtures import ESIA_CERT_PATH, Browser, EsiaTestClient

PASSWORD = "demo12345"


def _claims(client: EsiaTestClient, code: str) -> dict[str, object]:
    tokens = client.exchange(code).json()
    pub = gostkit.load_certificate_pem(ESIA_CERT_PATH.read_bytes()).public_key
    return gostkit.jwt_decode(tokens["id_token"], pub)


def test_lockout_after_five_wrong_passwords(short_lived_server: str) -> None:
    client = EsiaTestClient(short_lived_server)
    browser = Browser(short_lived_server)
    login = "morozova.ti@example.ru"
    for attempt in range(1, 5):
        page, _ = password_login(browser, client, login=login, password=f"wrong-{attempt}")
        assert page.status == 200 and f"Осталось попыток до временной блокировки: {5 - attempt}" in page.text
    fifth, _ = password_login(browser, client, login=login, password="wrong-5")
    assert "заблокирован" in fifth.text and "после" in fifth.text
    # The sixth attempt, even with the right password, is refused without looking at it.
    sixth, _ = password_login(browser, client, login=login, password=PASSWORD)
    assert sixth.status == 200
    assert "заблокирован" in sixth.text and "code=" not in sixth.headers.get("location", "")
    # Other accounts are unaffected.
    other, params = password_login(browser, client, login="volkov.sn@example.ru", password=PASSWORD)
    code_from(other, params, client)


def test_remember_me_skips_the_form_next_time(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    browser = Browser(esia_emulator_server)
    answer, params = password_login(browser, client, login="sokolov.ia@example.ru", remember=True)
    first_sid = _claims(client, code_from(answer, params, client))["urn:esia:sid"]
    browser.drop_session_cookies()  # the browser was closed and opened again
    again, params = start(browser, client)
    claims = _claims(client, code_from(again, params, client))
    assert claims["sub"] == 1000000006 and claims["urn:esia:sid"] == first_sid


def test_without_remember_me_the_next_login_asks_again(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    browser = Browser(esia_emulator_server)
    answer, params = password_login(browser, client, login="lebedev.mi@example.ru")
    code_from(answer, params, client)
    cookie = next(c for c in browser.jar if c.name == "esia_emulator_session")
    assert cookie.expires is None  # dies with the browser
    again, _ = start(browser, client)
    login_path(again)


def test_logout_ends_the_remembered_session(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    browser = Browser(esia_emulator_server)
    answer, params = password_login(browser, client, login="orlov.vp@example.ru", remember=True)
    code_from(answer, params, client)
    target = "http://127.0.0.1:8000/"
    out = browser.get(
        "/idp/ext/Logout?" + urllib.parse.urlencode({"client_id": "FRMR01", "redirect_url": target})
    )
    assert out.status == 302 and out.location == target
    again, _ = start(browser, client)
    login_path(again)
    foreign = browser.get("/idp/ext/Logout?client_id=FRMR01&redirect_url=https://evil.example/")
    assert foreign.status == 200 and "Вы вышли" in foreign.text


def test_qr_login_confirmed_from_another_browser(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    desktop = Browser(esia_emulator_server)
    phone = Browser(esia_emulator_server)
    first, params = start(desktop, client)
    rid_path = login_path(first)
    qr_page = desktop.get(rid_path + "qr/")
    assert qr_page.status == 200 and "Проверить" in qr_page.text
    assert re.search(r'<script src="/static/esia_emulator/qr\.js"', qr_page.text)
    image = desktop.get(rid_path + "qr/code.png")
    assert image.status == 200 and image.body.startswith(b"\x89PNG")
    confirm_url = re.search(r'href="([^"]+)" data-qr-confirm', qr_page.text)
    assert confirm_url
    status = desktop.get(rid_path + "qr/status/").json()
    assert status["status"] == "pending"
    # The «Проверить» fallback says it is not confirmed yet.
    assert "ещё не подтверждён" in desktop.get(rid_path + "qr/?check=1").text

    url = confirm_url.group(1)
    assert "Войдите" in phone.get(url).text
    logged_in = phone.post_form(url, {"action": "login", "login": "+79161234508", "password": PASSWORD})
    assert "Подтвердить вход" in logged_in.text and "Волков" in logged_in.text
    done = phone.post_form(url, {"action": "confirm"})
    assert "Вход подтверждён" in done.text
    # The same link cannot be used twice.
    assert phone.get(url).status == 410

    status = desktop.get(rid_path + "qr/status/").json()
    assert status["status"] == "confirmed"
    finished = desktop.get(status["next"])
    claims = _claims(client, code_from(finished, params, client))
    assert claims["sub"] == 1000000008 and claims["amr"] == "PWD"
    # A stranger's browser cannot poll or complete the desktop's QR login.
    assert phone.get(rid_path + "qr/status/").status == 404


def test_electronic_signature_login_with_pin(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    browser = Browser(esia_emulator_server)
    first, params = start(browser, client)
    ds_path = login_path(first) + "signature/"
    step_two = browser.post_form(ds_path, {"step": "login", "login": "12345678964"})
    assert "Смирнова Елена Викторовна" in step_two.text and "PIN-код" in step_two.text
    cert_id = re.search(r'name="certificate" value="([^"]+)"', step_two.text)
    assert cert_id
    fields = {"step": "pin", "login": "12345678964", "certificate": cert_id.group(1)}
    wrong = browser.post_form(ds_path, {**fields, "pin": "00000000"})
    assert wrong.status == 200 and "Неверный PIN-код" in wrong.text
    right = browser.post_form(ds_path, {**fields, "pin": "12345678"})
    claims = _claims(client, code_from(right, params, client))
    assert claims["amr"] == "DS" and claims["urn:esia:amd"] == "DS" and claims["sub"] == 1000000002


def test_index_lists_demo_logins(esia_emulator_server: str) -> None:
    page = Browser(esia_emulator_server).get("/")
    assert page.status == 200
    assert (
        "Иванова Анна Сергеевна" in page.text and "demo12345" in page.text and "112-233-445 95" in page.text
    )
