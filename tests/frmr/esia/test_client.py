"""The client's protocol details, against a scriptable local server (the emulator tests are in
test_client_emulator.py): what is signed, how tokens are checked, how failures surface."""

from __future__ import annotations

import datetime
import socket
from urllib.parse import parse_qs, urlsplit

import pytest

import gostkit
from frmr.esia.client import esia_timestamp
from frmr.esia.data import normalize_snils, parse_esia_date
from frmr.esia.errors import (
    CODE_MESSAGES,
    EsiaError,
    EsiaStateMismatch,
    EsiaTokenInvalid,
    EsiaUnavailable,
    EsiaUserRefused,
    error_from_response,
)
from tests.esia_fake import CLIENT_ID, REDIRECT, SCOPE, ivanova_json, make_client, token_route


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def test_authorization_url_carries_the_documented_parameters_and_signature(keys) -> None:
    moment = datetime.datetime(2026, 1, 21, 15, 11, 31, tzinfo=datetime.UTC)
    client = make_client(keys, "https://esia.example", now=moment)
    url = client.authorization_url(state="6f1c4e9a-1b2c-4d5e-8f90-a1b2c3d4e5f6")
    assert url.startswith("https://esia.example/aas/oauth2/v2/ac?")
    q = _query(url)
    assert q["client_id"] == CLIENT_ID
    assert q["redirect_uri"] == REDIRECT
    assert q["scope"] == SCOPE
    assert q["response_type"] == "code"
    assert q["access_type"] == "online"
    assert q["timestamp"] == "2026.01.21 18:11:31 +0300"  # Europe/Moscow
    assert q["client_certificate_hash"] == keys.client_cert.hash
    assert "=" not in q["client_secret"] and "+" not in q["client_secret"]
    signed = (CLIENT_ID + SCOPE + "" + q["timestamp"] + q["state"] + REDIRECT).encode()
    signature = gostkit.b64url_decode(q["client_secret"])
    assert gostkit.verify_raw(keys.client_cert.public_key, signed, signature)
    # Spaces are %20 in the query, the way ЕСИА's peers send them.
    assert "scope=openid%20fullname" in url


def test_timestamp_format() -> None:
    moment = datetime.datetime(2025, 12, 31, 21, 5, 0, tzinfo=datetime.UTC)
    assert esia_timestamp(moment) == "2026.01.01 00:05:00 +0300"


def test_exchange_code_signs_the_string_with_the_code_and_verifies_tokens(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia))
    client = make_client(keys, fake_esia.url)
    tokens = client.exchange_code(code="the-code", state="st-1")
    assert tokens.oid == "1000000001"
    assert tokens.session_id == "sid-1"
    assert tokens.auth_method == "PWD"
    form = fake_esia.received[-1]["form"]
    assert form["grant_type"] == "authorization_code"
    assert form["token_type"] == "Bearer"
    assert form["client_certificate_hash"] == keys.client_cert.hash
    signed = (CLIENT_ID + SCOPE + form["timestamp"] + "st-1" + REDIRECT + "the-code").encode()
    assert gostkit.verify_raw(
        keys.client_cert.public_key, signed, gostkit.b64url_decode(form["client_secret"])
    )


def test_response_must_echo_the_state(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia, state="someone-else"))
    with pytest.raises(EsiaStateMismatch):
        make_client(keys, fake_esia.url).exchange_code(code="c", state="mine")


def test_token_signed_by_another_key_is_refused(keys, fake_esia) -> None:
    forger = gostkit.generate_private_key()
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia, key=forger))
    with pytest.raises(EsiaTokenInvalid, match="Подпись"):
        make_client(keys, fake_esia.url).exchange_code(code="c", state="s")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"access": {"exp": 1_000_000_000}}, "истёк"),
        ({"identity": {"nbf": 4_000_000_000}}, "ещё не действует"),
        ({"access": {"iss": "http://evil.example/"}}, "не той ЕСИА"),
        ({"access": {"client_id": "OTHER"}}, "другой системе"),
        ({"identity": {"aud": "OTHER"}}, "другой системе"),
        ({"identity": {"sub": 1000000002, "urn:esia:sbj": {}}}, "не совпадает"),
    ],
)
def test_token_claims_are_checked(keys, fake_esia, overrides, message) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia, **overrides))
    with pytest.raises(EsiaTokenInvalid, match=message):
        make_client(keys, fake_esia.url).exchange_code(code="c", state="s")


def test_expiry_respects_the_leeway(keys, fake_esia) -> None:
    now = int(datetime.datetime.now(datetime.UTC).timestamp())
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia, access={"exp": now - 30}))
    assert make_client(keys, fake_esia.url).exchange_code(code="c", state="s").oid == "1000000001"


def test_garbage_token_is_invalid_not_a_crash(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (
        200, lambda r: {"access_token": "x.y", "id_token": "a.b.c", "state": r["form"]["state"]}
    )  # fmt: skip
    with pytest.raises(EsiaTokenInvalid):
        make_client(keys, fake_esia.url).exchange_code(code="c", state="s")


def test_esia_error_answer_keeps_code_and_gives_russian_text(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (
        400, {"error": "invalid_grant", "error_description": "ESIA-007011: Code expired", "state": "s"}
    )  # fmt: skip
    with pytest.raises(EsiaError) as caught:
        make_client(keys, fake_esia.url).exchange_code(code="c", state="s")
    assert caught.value.code == "ESIA-007011"
    assert "устарел" in caught.value.message


def test_server_error_means_unavailable(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (503, b"<html>down</html>")
    with pytest.raises(EsiaUnavailable):
        make_client(keys, fake_esia.url).exchange_code(code="c", state="s")


def test_closed_port_means_unavailable(keys) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EsiaUnavailable) as caught:
        make_client(keys, f"http://127.0.0.1:{port}").exchange_code(code="c", state="s")
    assert caught.value.message == "Госуслуги временно недоступны."


def test_fetch_person_reads_root_and_embedded_contacts(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia))
    organizations = {"elements": [{"oid": 77, "fullName": "ГБУЗ «ГКБ № 1»", "ogrn": "1027700000001"}]}
    fake_esia.routes["/rs/prns/1000000001"] = (200, ivanova_json(organizations=organizations))
    client = make_client(keys, fake_esia.url)
    person = client.fetch_person(tokens=client.exchange_code(code="c", state="s"))
    assert person.full_name == "Иванова Анна Сергеевна"
    assert person.birth_date == datetime.date(1985, 3, 14)
    assert person.snils == "11223344595"
    assert person.email == "ivanova.as@example.ru"
    assert person.mobile == "+7(916)1234501"
    assert person.gender == "F" and person.trusted
    assert [o.name for o in person.organizations] == ["ГБУЗ «ГКБ № 1»"]
    request = fake_esia.received[-1]
    assert request["authorization"].startswith("Bearer ")
    assert "embed=(contacts.elements)" in request["query"]


def test_fetch_person_follows_contact_links_only_inside_esia(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia))
    fake_esia.routes["/rs/prns/1000000001"] = (200, {"firstName": "Павел", "lastName": "Новиков",
                                                    "snils": "19056783401"})  # fmt: skip
    fake_esia.routes["/rs/prns/1000000001/ctts"] = (200, {"elements": [
        f"{fake_esia.url}/rs/prns/1000000001/ctts/5", "http://elsewhere.example/steal"]})  # fmt: skip
    fake_esia.routes["/rs/prns/1000000001/ctts/5"] = (200, {"type": "MBT", "value": "+79160000009"})
    client = make_client(keys, fake_esia.url)
    person = client.fetch_person(tokens=client.exchange_code(code="c", state="s"))
    assert person.mobile == "+79160000009"
    assert person.patronymic == "" and person.birth_date is None
    assert all("elsewhere" not in r["path"] for r in fake_esia.received)


def test_rejected_access_token_on_person_api(keys, fake_esia) -> None:
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia))
    fake_esia.routes["/rs/prns/1000000001"] = (401, b"")
    client = make_client(keys, fake_esia.url)
    tokens = client.exchange_code(code="c", state="s")
    with pytest.raises(EsiaTokenInvalid):
        client.fetch_person(tokens=tokens)


def test_logout_url(keys) -> None:
    url = make_client(keys, "https://esia.example").logout_url(redirect_url="http://127.0.0.1:8000/")
    assert url.startswith("https://esia.example/idp/ext/Logout?")
    assert _query(url) == {"client_id": CLIENT_ID, "redirect_url": "http://127.0.0.1:8000/"}


@pytest.mark.parametrize(
    ("error", "description", "kind", "code"),
    [
        ("access_denied", "", EsiaUserRefused, None),
        ("invalid_request", "ESIA-007004: Пользователь отказал", EsiaUserRefused, "ESIA-007004"),
        (
            "access_denied",
            "ESIA-007004: The resource owner or authorization server denied the request.",
            EsiaUserRefused,
            "ESIA-007004",
        ),
        # The real ЕСИА answers a broken key with access_denied too: that is not the person's refusal.
        ("access_denied", "ESIA-007053: OAuthErrorEnum.clientSecretWrong", EsiaError, "ESIA-007053"),
        ("access_denied", "ESIA-007055: unconfirmed", EsiaError, "ESIA-007055"),
        ("invalid_request", "ESIA-007008: overload", EsiaUnavailable, "ESIA-007008"),
        ("server_error", "ESIA-007007: unexpected", EsiaUnavailable, "ESIA-007007"),
        ("invalid_request", "ESIA-007023: bad redirect", EsiaError, "ESIA-007023"),
        ("server_error", "ESIA-999999: Что-то новое", EsiaError, "ESIA-999999"),
    ],
)
def test_error_mapping(error, description, kind, code) -> None:
    exc = error_from_response(error, description)
    assert type(exc) is kind
    assert exc.code == code
    assert exc.message


@pytest.mark.parametrize("code", sorted(CODE_MESSAGES))
def test_every_documented_code_has_its_own_russian_message(code: str) -> None:
    exc = error_from_response("invalid_request", f"{code}: whatever ЕСИА wrote")
    assert exc.code == code
    assert exc.message == CODE_MESSAGES[code]
    assert "whatever" not in exc.message
    assert exc.detail == f"{code}: whatever ЕСИА wrote", "ЕСИА's text is kept for the log"


def test_the_documented_codes_are_all_known() -> None:
    documented = {
        "007002", "007003", "007004", "007005", "007006", "007007", "007008", "007009", "007011",
        "007012", "007013", "007014", "007015", "007019", "007023", "007038", "007039", "007040",
        "007046", "007053", "007055", "007060", "007061", "007062", "007194", "008010",
    }  # fmt: skip
    assert {f"ESIA-{code}" for code in documented} <= set(CODE_MESSAGES)
    assert len(set(CODE_MESSAGES.values())) == len(CODE_MESSAGES), "each code says something of its own"


def test_unknown_code_never_echoes_esia_text() -> None:
    exc = error_from_response("server_error", "ESIA-999999: Что-то новое")
    assert "Что-то новое" not in exc.message
    assert exc.code == "ESIA-999999"


def test_snils_and_date_helpers() -> None:
    assert normalize_snils("112-233-445 95") == "11223344595"
    assert normalize_snils("123") == ""
    assert normalize_snils(None) == ""
    assert parse_esia_date("01.02.2003") == datetime.date(2003, 2, 1)
    assert parse_esia_date("2003-02-01") is None
