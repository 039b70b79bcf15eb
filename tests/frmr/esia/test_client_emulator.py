"""The product's client against the ЕСИА emulator over real HTTP: what ЕСИА would accept, it accepts."""

from __future__ import annotations

import datetime
import urllib.parse
from collections.abc import Iterator

import pytest
from django.test import override_settings

from frmr.esia import EsiaClient, EsiaError, EsiaPerson, EsiaTokens, get_client, new_state
from tests.esia_fixtures import Browser, esia_emulator_db, esia_emulator_server  # noqa: F401

REDIRECT = "http://127.0.0.1:8000/login/esia/callback/"


@pytest.fixture
def esia_client(esia_emulator_server: str) -> Iterator[EsiaClient]:  # noqa: F811
    with override_settings(ESIA_BASE_URL=esia_emulator_server, ESIA_REDIRECT_URI=REDIRECT):
        yield get_client()


def login_for_code(client: EsiaClient, base_url: str, login: str, password: str = "demo12345") -> str:
    """Plays the person's part on the emulator's form; returns the code delivered to the callback."""
    state = new_state()
    browser = Browser(base_url)
    first = browser.get(client.authorization_url(state=state))
    assert first.status == 302, first.text[:500]
    login_path = urllib.parse.urlsplit(first.location).path
    assert login_path.startswith("/login/"), f"the emulator refused the request: {first.location}"
    answer = browser.post_form(login_path, {"login": login, "password": password})
    assert answer.status == 302 and answer.location.startswith(REDIRECT), answer.text[:500]
    query = answer.query()
    assert query["state"] == state
    return query["code"]


def test_full_protocol_with_snils_login(esia_client: EsiaClient, esia_emulator_server: str) -> None:  # noqa: F811
    code = login_for_code(esia_client, esia_emulator_server, "112-233-445 95")
    tokens = esia_client.exchange_code(code=code, state=new_state())
    assert isinstance(tokens, EsiaTokens)
    assert tokens.oid == "1000000001"
    assert tokens.auth_method == "PWD"
    assert tokens.session_id
    person = esia_client.fetch_person(tokens=tokens)
    assert isinstance(person, EsiaPerson)
    assert person.full_name == "Иванова Анна Сергеевна"
    assert person.birth_date == datetime.date(1985, 3, 14)
    assert person.gender == "F"
    assert person.snils == "11223344595"
    assert person.email == "ivanova.as@example.ru"
    assert person.mobile.replace("(", "").replace(")", "") == "+79161234501"
    assert person.trusted is True


def test_code_is_single_use(esia_client: EsiaClient, esia_emulator_server: str) -> None:  # noqa: F811
    code = login_for_code(esia_client, esia_emulator_server, "ivanova.as@example.ru")
    esia_client.exchange_code(code=code, state=new_state())
    with pytest.raises(EsiaError) as caught:
        esia_client.exchange_code(code=code, state=new_state())
    assert caught.value.code == "ESIA-007011"
    assert "устарел или уже был использован" in caught.value.message


def test_organizations_with_usr_org_scope(esia_emulator_server: str) -> None:  # noqa: F811
    scope = "openid fullname birthdate gender snils email mobile usr_org"
    with override_settings(ESIA_BASE_URL=esia_emulator_server, ESIA_REDIRECT_URI=REDIRECT, ESIA_SCOPE=scope):
        client = get_client()
        code = login_for_code(client, esia_emulator_server, "kuznetsova.op@example.ru")
        person = client.fetch_person(tokens=client.exchange_code(code=code, state=new_state()))
    assert [org.ogrn for org in person.organizations] == ["1027700000001"]
    assert person.organizations[0].name


def test_the_emulator_checks_our_signature(esia_emulator_server: str) -> None:  # noqa: F811
    # A different key with the registered certificate: the emulator must refuse with ESIA-007053.
    import gostkit

    class WrongKeySigner:
        def __init__(self, real: object) -> None:
            self.real = real
            self.key = gostkit.generate_private_key()

        def sign(self, data: bytes) -> bytes:
            return gostkit.sign_raw(self.key, data)

        def certificate_der(self) -> bytes:
            return self.real.certificate_der()  # type: ignore[attr-defined]

    with override_settings(ESIA_BASE_URL=esia_emulator_server, ESIA_REDIRECT_URI=REDIRECT):
        good = get_client()
        bad = EsiaClient(config=good.config, signer=WrongKeySigner(good._signer), verify_key=good._verify_key)
    state = new_state()
    answer = Browser(esia_emulator_server).get(bad.authorization_url(state=state))
    assert answer.status == 302
    query = answer.query()
    assert query["state"] == state
    assert query["error_description"].startswith("ESIA-007053")


def test_logout_url_is_accepted(esia_client: EsiaClient, esia_emulator_server: str) -> None:  # noqa: F811
    answer = Browser(esia_emulator_server).get(esia_client.logout_url(redirect_url="http://127.0.0.1:8000/"))
    assert answer.status == 302 and answer.location == "http://127.0.0.1:8000/"
