"""The emulator over real HTTP: the authorization flow, refusals with ЕСИА's codes, tokens and person API."""

from __future__ import annotations

import re
import time
import urllib.parse
from datetime import datetime, timedelta

import pytest

import gostkit
from tests.esia_fixtures import (
    ESIA_CERT_PATH,
    ESIA_KEY_PATH,
    MOSCOW,
    Browser,
    EsiaTestClient,
    Response,
    esia_timestamp,
)

ANNA = 1000000001
ANNA_SNILS = "11223344595"
PASSWORD = "demo12345"
WRONG_SECRET = "ESIA-007053: OAuthErrorEnum.clientSecretWrong"


@pytest.fixture(scope="module")
def esia_pub() -> gostkit.PublicKey:
    return gostkit.load_certificate_pem(ESIA_CERT_PATH.read_bytes()).public_key


def start(browser: Browser, client: EsiaTestClient, **overrides: str) -> tuple[Response, dict[str, str]]:
    params = client.ac_params(**overrides)
    response = browser.get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params))
    return response, params


def login_path(response: Response) -> str:
    assert response.status == 302, response.text[:500]
    path = urllib.parse.urlsplit(response.location).path
    assert path.startswith("/login/"), response.location
    return path


def password_login(
    browser: Browser, client: EsiaTestClient, login: str = ANNA_SNILS, password: str = PASSWORD, *,
    remember: bool = False,
) -> tuple[Response, dict[str, str]]:  # fmt: skip
    first, params = start(browser, client)
    fields = {"login": login, "password": password}
    if remember:
        fields["remember"] = "on"
    return browser.post_form(login_path(first), fields), params


def code_from(response: Response, params: dict[str, str], client: EsiaTestClient) -> str:
    assert response.status == 302, response.text[:800]
    assert response.location.startswith(client.redirect_uri)
    query = response.query()
    assert query["state"] == params["state"]
    return query["code"]


def error_from(response: Response, state: str) -> tuple[str, str]:
    assert response.status == 302, response.text[:800]
    query = response.query()
    assert query["state"] == state
    return query["error"], query["error_description"]


# --- happy path -------------------------------------------------------------------------------


def test_happy_path_tokens_and_person(esia_emulator_server: str, esia_pub: gostkit.PublicKey) -> None:
    client = EsiaTestClient(esia_emulator_server, scope="openid fullname birthdate gender snils email mobile")
    browser = Browser(esia_emulator_server)
    first, params = start(browser, client)
    form = browser.get(login_path(first))
    assert form.status == 200
    assert 'autocomplete="username"' in form.text and 'autocomplete="current-password"' in form.text
    assert "Телефон / Email / СНИЛС" in form.text and "Запомнить меня" in form.text
    assert "default-src 'none'" in form.headers["content-security-policy"]
    assert "<script>" not in form.text and "style=" not in form.text

    answer, params = password_login(browser, client)
    code = code_from(answer, params, client)
    tokens_response = client.exchange(code)
    assert tokens_response.status == 200, tokens_response.text
    tokens = tokens_response.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    assert tokens["refresh_token"]
    served_cert = Browser(esia_emulator_server).get("/aas/oauth2/cert")
    assert (
        gostkit.load_certificate_pem(served_cert.body).der
        == gostkit.load_certificate_pem(ESIA_CERT_PATH.read_bytes()).der
    )

    access = gostkit.jwt_decode(tokens["access_token"], esia_pub)
    assert gostkit.jwt_unverified_header(tokens["access_token"])["alg"] == "GOST3410_2012_256"
    # Nothing configured: the issuer is the address the emulator is served on.
    assert access["iss"] == esia_emulator_server + "/" and access["client_id"] == "FRMR01"
    assert access["urn:esia:sbj_id"] == ANNA
    assert f"fullname?oid={ANNA}" in access["scope"].split() and "openid" in access["scope"].split()
    assert access["exp"] - access["iat"] == 3600
    id_token = gostkit.jwt_decode(tokens["id_token"], esia_pub)
    assert id_token["aud"] == "FRMR01" and id_token["sub"] == ANNA
    assert id_token["amr"] == "PWD" and id_token["urn:esia:amd"] == "PWD"
    subject = id_token["urn:esia:sbj"]
    assert subject["urn:esia:sbj:oid"] == ANNA and subject["urn:esia:sbj:is_tru"] is True
    assert subject["urn:esia:sbj:lvl"] == "PR"
    assert id_token["urn:esia:sid"] == access["urn:esia:sid"]

    auth = {"Authorization": "Bearer " + tokens["access_token"]}
    api = Browser(esia_emulator_server)
    person = api.get(f"/rs/prns/{ANNA}", headers=auth).json()
    assert person["lastName"] == "Иванова" and person["firstName"] == "Анна"
    assert person["middleName"] == "Сергеевна" and person["birthDate"] == "14.03.1985"
    assert person["gender"] == "F" and person["snils"] == "112-233-445 95" and person["trusted"] is True
    assert person["eTag"] and person["stateFacts"] == ["EntityRoot"]
    contacts = api.get(f"/rs/prns/{ANNA}/ctts", headers=auth).json()
    assert contacts["size"] == 2 and contacts["stateFacts"] == ["hasSize"]
    assert all(
        url.startswith(esia_emulator_server + f"/rs/prns/{ANNA}/ctts/") for url in contacts["elements"]
    )
    items = [api.get(url, headers=auth).json() for url in contacts["elements"]]
    assert {(i["type"], i["value"], i["vrfStu"]) for i in items} == {
        ("MBT", "+7(916)1234501", "VERIFIED"),
        ("EML", "ivanova.as@example.ru", "VERIFIED"),
    }
    embedded = api.get(f"/rs/prns/{ANNA}?embed=(contacts.elements)", headers=auth).json()
    assert {e["type"] for e in embedded["contacts"]["elements"]} == {"MBT", "EML"}
    inline = api.get(f"/rs/prns/{ANNA}/ctts?embed=(elements)", headers=auth).json()
    assert inline["elements"][0]["id"]
    # Addresses were not requested: the token does not open them.
    assert api.get(f"/rs/prns/{ANNA}/addrs", headers=auth).status == 403
    assert api.get(f"/rs/prns/{ANNA + 1}", headers=auth).status == 403

    refreshed = client.exchange(refresh_token=tokens["refresh_token"])
    assert refreshed.status == 200, refreshed.text
    assert refreshed.json()["refresh_token"] != tokens["refresh_token"]
    again = client.exchange(refresh_token=tokens["refresh_token"])
    assert again.status == 400 and again.json()["error_description"].startswith("ESIA-007011")


def test_documents_addresses_and_organizations(esia_emulator_server: str) -> None:
    scope = "openid fullname id_doc addresses usr_org contacts"
    client = EsiaTestClient(esia_emulator_server, scope=scope)
    browser = Browser(esia_emulator_server)
    answer, params = password_login(browser, client, login="kuznetsova.op@example.ru")
    tokens = client.exchange(code_from(answer, params, client)).json()
    auth = {"Authorization": "Bearer " + tokens["access_token"]}
    oid = 1000000004
    api = Browser(esia_emulator_server)
    root = api.get(
        f"/rs/prns/{oid}?embed=(contacts.elements,documents.elements,addresses.elements)", headers=auth
    ).json()
    assert root["documents"]["elements"][0]["type"] == "RF_PASSPORT"
    assert root["addresses"]["elements"][0]["type"] == "PRG"
    orgs = api.get(f"/rs/prns/{oid}/orgs?embed=(elements)", headers=auth).json()
    assert orgs["elements"][0]["shortName"] == "МО A"
    docs = api.get(f"/rs/prns/{oid}/docs", headers=auth).json()
    assert api.get(docs["elements"][0], headers=auth).json()["issueDate"] == "15.06.2015"


@pytest.mark.parametrize(
    "login",
    ["+7 916 123-45-02", "8 (916) 123 45 02", "9161234502", "SMIRNOVA.EV@example.ru", "123-456-789 64",
     "12345678964"],
)  # fmt: skip
def test_login_by_phone_email_or_snils_in_any_spelling(esia_emulator_server: str, login: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    answer, params = password_login(Browser(esia_emulator_server), client, login=login)
    tokens = client.exchange(code_from(answer, params, client)).json()
    assert gostkit.jwt_unverified_header(tokens["access_token"])["sbt"] == "access"
    claims = gostkit.jwt_decode(
        tokens["access_token"], gostkit.load_certificate_pem(ESIA_CERT_PATH.read_bytes()).public_key
    )
    assert claims["urn:esia:sbj_id"] == 1000000002


def test_wrong_password_keeps_the_login(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    page, _ = password_login(
        Browser(esia_emulator_server), client, login="lebedev.mi@example.ru", password="nope"
    )
    assert page.status == 200
    assert "Неверный логин или пароль" in page.text and 'value="lebedev.mi@example.ru"' in page.text


# --- refusals at /v2/ac -----------------------------------------------------------------------


def _page_code(response: Response) -> str:
    assert response.status == 400, response.text[:300]
    match = re.search(r"ESIA-\d{6}", response.text)
    assert match, response.text[:500]
    return match.group(0)


@pytest.mark.parametrize("missing", ["client_id", "redirect_uri"])
def test_missing_client_or_redirect_is_shown_on_a_page(esia_emulator_server: str, missing: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    params = client.ac_params()
    del params[missing]
    response = Browser(esia_emulator_server).get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params))
    assert _page_code(response) == "ESIA-007014"
    assert missing in response.text, "the emulator's page says which parameter is missing"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"redirect_uri": "https://evil.example/callback"}, "ESIA-007023"),
        ({"client_id": "NOSUCH01"}, "ESIA-007002"),
    ],
    ids=["unregistered-redirect", "unknown-client"],
)
def test_refusals_before_the_redirect_uri_is_trusted(
    esia_emulator_server: str, overrides: dict[str, str], code: str
) -> None:
    client = EsiaTestClient(esia_emulator_server)
    response, _ = start(Browser(esia_emulator_server), client, **overrides)
    assert _page_code(response) == code


@pytest.mark.parametrize(
    ("change", "wire"),
    [
        ({"timestamp": "2026-01-01T10:00:00+03:00"}, "ESIA-007015: "),
        ({"timestamp": esia_timestamp(datetime.now(MOSCOW) - timedelta(hours=1))}, "ESIA-007015: "),
        (
            {"client_certificate_hash": None},
            "ESIA-007014: The request does not contain the mandatory parameter",
        ),
        ({"timestamp": None}, "ESIA-007014: The request does not contain the mandatory parameter"),
        ({"scope": None}, "ESIA-007014: The request does not contain the mandatory parameter"),
    ],
    ids=["bad-timestamp-format", "stale-timestamp", "no-certificate-hash", "no-timestamp", "no-scope"],
)
def test_missing_parameter_and_bad_time_go_back_to_the_registered_redirect(
    esia_emulator_server: str, change: dict[str, str | None], wire: str
) -> None:
    """As the real ЕСИА: 007014/007015 come to the redirect URI with error, description and state."""
    client = EsiaTestClient(esia_emulator_server)
    params = client.ac_params()
    for name, value in change.items():
        if value is None:
            del params[name]
        else:
            params[name] = value
    response = Browser(esia_emulator_server).get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params))
    assert response.location.startswith(client.redirect_uri)
    error, description = error_from(response, params["state"])
    assert error == "invalid_request"
    assert description.startswith(wire)


def test_missing_state_goes_back_without_one(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    params = client.ac_params()
    del params["state"]
    response = Browser(esia_emulator_server).get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params))
    assert response.status == 302 and response.location.startswith(client.redirect_uri)
    query = response.query()
    assert query["error_description"].startswith("ESIA-007014: ") and "state" not in query


def test_refusals_after_the_redirect_uri_is_trusted(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    browser = Browser(esia_emulator_server)

    response, params = start(browser, client, scope="openid fullname flying_saucer")
    assert error_from(response, params["state"]) == (
        "invalid_scope",
        "ESIA-007006: The requested scope is invalid, unknown, or malformed.",
    )

    response, params = start(browser, client, client_certificate_hash="AB" * 32)
    assert error_from(response, params["state"]) == ("access_denied", WRONG_SECRET)

    # A bad client_secret is answered as the real ЕСИА does: access_denied, not a refusal by the person.
    response, params = start(browser, client, client_secret=gostkit.b64url_encode(b"\x01" * 64))
    assert error_from(response, params["state"]) == ("access_denied", WRONG_SECRET)

    # The legacy string (scope + timestamp + client_id + state) signed with the right key is still wrong.
    params = client.ac_params()
    legacy = params["scope"] + params["timestamp"] + params["client_id"] + params["state"]
    params["client_secret"] = client.sign(legacy)
    response = browser.get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params))
    assert error_from(response, params["state"])[1] == WRONG_SECRET

    response, params = start(browser, client, response_type="token")
    assert error_from(response, params["state"])[1].startswith("ESIA-007012: ")


def test_signature_is_checked_before_the_scopes(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    browser = Browser(esia_emulator_server)
    params = client.ac_params(scope="fullname")
    params["client_secret"] = gostkit.b64url_encode(b"\x01" * 64)
    response = browser.get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params))
    assert error_from(response, params["state"]) == ("access_denied", WRONG_SECRET)
    # Correctly signed, the same scope is refused for what it is.
    response, params = start(browser, client, scope="fullname")
    assert error_from(response, params["state"])[1].startswith("ESIA-007006: ")


def test_signature_in_any_base64_flavour_is_accepted(esia_emulator_server: str) -> None:
    import base64

    client = EsiaTestClient(esia_emulator_server)
    params = client.ac_params()
    raw = gostkit.b64url_decode(params["client_secret"])
    params["client_secret"] = base64.b64encode(raw).decode()
    response = Browser(esia_emulator_server).get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params))
    login_path(response)


def test_user_refusal_returns_007004(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    browser = Browser(esia_emulator_server)
    first, params = start(browser, client)
    form = browser.get(login_path(first))
    deny = re.search(r'href="(/login/[^"]+/deny/)"', form.text)
    assert deny and "Отказаться" in form.text
    error, description = error_from(browser.get(deny.group(1)), params["state"])
    assert error == "access_denied"
    assert description == "ESIA-007004: The resource owner or authorization server denied the request."


def test_simplified_account_is_refused_with_a_clear_message(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    page, _ = password_login(Browser(esia_emulator_server), client, login="fedorova.mo@example.ru")
    assert page.status == 200
    assert "упрощённая" in page.text and "стандартная" in page.text


# --- /v3/te -----------------------------------------------------------------------------------


def test_code_is_single_use(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    answer, params = password_login(Browser(esia_emulator_server), client)
    code = code_from(answer, params, client)
    assert client.exchange(code).status == 200
    reused = client.exchange(code)
    assert reused.status == 400
    body = reused.json()
    assert body["error_description"].startswith("ESIA-007011") and body["error"] == "invalid_grant"
    assert body["state"]


def test_token_request_checks_signature_and_timestamp(esia_emulator_server: str) -> None:
    client = EsiaTestClient(esia_emulator_server)
    answer, params = password_login(Browser(esia_emulator_server), client)
    code = code_from(answer, params, client)
    # Signed without the code (the refresh string) — must be refused.
    te = client.te_params(code)
    te["client_secret"] = client.sign(
        te["client_id"] + te["scope"] + te["timestamp"] + te["state"] + te["redirect_uri"]
    )
    refused = Browser(esia_emulator_server).request("POST", "/aas/oauth2/v3/te", te)
    assert refused.status == 400 and refused.json()["error_description"].startswith("ESIA-007053")
    stale = client.exchange(code, timestamp=esia_timestamp(datetime.now(MOSCOW) - timedelta(minutes=30)))
    assert stale.json()["error_description"].startswith("ESIA-007015")
    missing = client.te_params(code)
    del missing["client_certificate_hash"]
    assert (
        Browser(esia_emulator_server)
        .request("POST", "/aas/oauth2/v3/te", missing)
        .json()["error_description"]
        .startswith("ESIA-007014")
    )
    wrong_grant = client.exchange(code, grant_type="password")
    assert wrong_grant.json()["error_description"].startswith("ESIA-007009")
    # None of the refused requests spent the code.
    assert client.exchange(code).status == 200


def test_expired_code(short_lived_server: str) -> None:
    client = EsiaTestClient(short_lived_server)
    answer, params = password_login(Browser(short_lived_server), client)
    code = code_from(answer, params, client)
    time.sleep(1.3)
    expired = client.exchange(code)
    assert expired.status == 400 and expired.json()["error_description"].startswith("ESIA-007011")


# --- person API guards --------------------------------------------------------------------------


def _forge(key: gostkit.PrivateKey, **changes: object) -> str:
    now = int(time.time())
    claims = {
        "nbf": now,
        "iat": now,
        "exp": now + 3600,
        "iss": "http://esia-emulator.local/",
        "client_id": "FRMR01",
        "scope": f"openid fullname?oid={ANNA}",
        "urn:esia:sbj_id": ANNA,
        "urn:esia:sid": "x",
    }
    claims.update(changes)
    return gostkit.jwt_encode(claims, key, header_extra={"sbt": "access"})


def test_person_api_refuses_forged_expired_and_missing_tokens(esia_emulator_server: str) -> None:
    api = Browser(esia_emulator_server)
    iss = esia_emulator_server + "/"
    esia_key = gostkit.load_private_key_pem(ESIA_KEY_PATH.read_bytes())
    valid = api.get(f"/rs/prns/{ANNA}", headers={"Authorization": "Bearer " + _forge(esia_key, iss=iss)})
    assert valid.status == 200 and valid.json()["lastName"] == "Иванова"

    forged = _forge(gostkit.load_private_key_pem(EsiaTestClient(esia_emulator_server).key.to_pem()), iss=iss)
    assert api.get(f"/rs/prns/{ANNA}", headers={"Authorization": "Bearer " + forged}).status == 401
    expired = _forge(esia_key, iss=iss, exp=int(time.time()) - 10, iat=int(time.time()) - 3700)
    response = api.get(f"/rs/prns/{ANNA}", headers={"Authorization": "Bearer " + expired})
    assert response.status == 401 and "истёк" in response.json()["error_description"]
    assert api.get(f"/rs/prns/{ANNA}").status == 401
    tampered = _forge(esia_key, iss=iss).rsplit(".", 1)[0] + "." + gostkit.b64url_encode(b"\x00" * 64)
    assert api.get(f"/rs/prns/{ANNA}", headers={"Authorization": "Bearer " + tampered}).status == 401
    no_scope = _forge(esia_key, iss=iss, scope="openid")
    assert api.get(f"/rs/prns/{ANNA}", headers={"Authorization": "Bearer " + no_scope}).status == 403
    other_issuer = _forge(esia_key)  # the old fixed default, not where this emulator is served
    response = api.get(f"/rs/prns/{ANNA}", headers={"Authorization": "Bearer " + other_issuer})
    assert response.status == 401 and "издателем" in response.json()["error_description"]
