"""A third-party information system registers itself with one command and logs people in with keys made
by OpenSSL's GOST engine: on every 256-bit curve through /v2/ac + /v3/te, and through the legacy
/ac + /te with a detached CMS signature made by `openssl cms` (issue 10, part 2.4, 2.5, 2.7)."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest

import gostkit
from tests.esia_fixtures import ROOT, Browser, Response, emulator_env, esia_timestamp
from tests.gost_openssl import make_key_and_cert, needs_engine, sign_cms, sign_raw

pytestmark = needs_engine

REDIRECT = "https://is.example/esia/callback/"
SCOPE = "openid fullname snils"
ANNA_SNILS, PASSWORD = "11223344595", "demo12345"


def register(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "esia_emulator", "manage", "register_client", *args],
        cwd=ROOT, env=emulator_env(db), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def registered_client(db: Path, folder: Path, paramset: str) -> tuple[str, Path, Path]:
    key, cert = make_key_and_cert(folder, paramset)
    mnemonic = f"TP{paramset}{uuid.uuid4().hex[:6]}".upper()
    done = register(db, "--mnemonic", mnemonic, "--cert", str(cert), "--redirect-uri", REDIRECT,
                    "--scope", SCOPE, "--name", "Сторонняя ИС")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert gostkit.load_certificate_pem(cert.read_bytes()).hash in done.stdout
    return mnemonic, key, cert


def b64url(data: bytes) -> str:
    return gostkit.b64url_encode(data)


def login_and_get_code(browser: Browser, first: Response, state: str) -> str:
    assert first.status == 302, first.text[:800]
    login = urllib.parse.urlsplit(first.location).path
    assert login.startswith("/login/"), first.location
    done = browser.post_form(login, {"login": ANNA_SNILS, "password": PASSWORD})
    assert done.status == 302 and done.location.startswith(REDIRECT), done.text[:800]
    query = done.query()
    assert query["state"] == state
    return query["code"]


def refused(response: Response, state: str) -> str:
    assert response.status == 302 and response.location.startswith(REDIRECT), response.text[:500]
    query = response.query()
    assert query["state"] == state
    return query["error_description"]


@pytest.mark.parametrize("paramset", ["A", "B", "C", "XA", "XB", "TCA"])
def test_current_protocol_on_every_curve(
    esia_emulator_server: str, esia_emulator_db: Path, tmp_path: Path, paramset: str
) -> None:
    mnemonic, key, cert_path = registered_client(esia_emulator_db, tmp_path, paramset)
    cert = gostkit.load_certificate_pem(cert_path.read_bytes())
    browser = Browser(esia_emulator_server)
    state, timestamp = str(uuid.uuid4()), esia_timestamp()
    params = {
        "client_id": mnemonic, "redirect_uri": REDIRECT, "scope": SCOPE, "response_type": "code",
        "state": state, "timestamp": timestamp, "access_type": "online",
        "client_certificate_hash": cert.hash,
    }  # fmt: skip
    signed = (mnemonic + SCOPE + timestamp + state + REDIRECT).encode()
    wrong = dict(params, client_secret=b64url(sign_raw(key, signed + b"x", tmp_path)))
    answer = browser.get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(wrong))
    assert refused(answer, state) == "ESIA-007053: OAuthErrorEnum.clientSecretWrong"

    params["client_secret"] = b64url(sign_raw(key, signed, tmp_path))
    code = login_and_get_code(
        browser, browser.get("/aas/oauth2/v2/ac?" + urllib.parse.urlencode(params)), state
    )
    te_state, te_time = str(uuid.uuid4()), esia_timestamp()
    te = {
        "client_id": mnemonic, "grant_type": "authorization_code", "client_certificate_hash": cert.hash,
        "state": te_state, "redirect_uri": REDIRECT, "scope": SCOPE, "timestamp": te_time,
        "token_type": "Bearer", "code": code,
    }  # fmt: skip
    te_signed = (mnemonic + SCOPE + te_time + te_state + REDIRECT + code).encode()
    te["client_secret"] = b64url(sign_raw(key, te_signed, tmp_path))
    tokens = Browser(esia_emulator_server).request("POST", "/aas/oauth2/v3/te", te)
    assert tokens.status == 200, tokens.text
    assert tokens.json()["state"] == te_state


@pytest.mark.parametrize("signed_attributes", [False, True], ids=["noattr", "signed-attributes"])
def test_legacy_flow_with_openssl_cms(
    esia_emulator_server: str, esia_emulator_db: Path, tmp_path: Path, signed_attributes: bool
) -> None:
    mnemonic, key, cert_path = registered_client(esia_emulator_db, tmp_path, "A")
    browser = Browser(esia_emulator_server)

    def cms(text: str) -> str:
        return b64url(sign_cms(key, cert_path, text.encode(), tmp_path, signed_attributes=signed_attributes))

    state, timestamp = str(uuid.uuid4()), esia_timestamp()
    params = {
        "client_id": mnemonic, "redirect_uri": REDIRECT, "scope": SCOPE, "response_type": "code",
        "state": state, "timestamp": timestamp, "access_type": "offline",
        "client_secret": cms(SCOPE + timestamp + mnemonic + state),
    }  # fmt: skip
    # The current protocol's string signed into a CMS is not the legacy one.
    wrong = dict(params, client_secret=cms(mnemonic + SCOPE + timestamp + state + REDIRECT))
    assert refused(browser.get("/aas/oauth2/ac?" + urllib.parse.urlencode(wrong)), state).startswith(
        "ESIA-007053: "
    )
    code = login_and_get_code(browser, browser.get("/aas/oauth2/ac?" + urllib.parse.urlencode(params)), state)

    te_state, te_time = str(uuid.uuid4()), esia_timestamp()
    te = {
        "client_id": mnemonic, "grant_type": "authorization_code", "state": te_state,
        "redirect_uri": REDIRECT, "scope": SCOPE, "timestamp": te_time, "token_type": "Bearer",
        "code": code, "client_secret": cms(SCOPE + te_time + mnemonic + te_state),
    }  # fmt: skip
    tokens = Browser(esia_emulator_server).request("POST", "/aas/oauth2/te", te)
    assert tokens.status == 200, tokens.text
    body = tokens.json()
    assert body["state"] == te_state and body["refresh_token"]
    esia_cert = gostkit.load_certificate_pem(Browser(esia_emulator_server).get("/aas/oauth2/cert").body)
    claims = gostkit.jwt_decode(body["access_token"], esia_cert.public_key)
    assert claims["client_id"] == mnemonic and claims["iss"] == esia_emulator_server + "/"
    again = Browser(esia_emulator_server).request("POST", "/aas/oauth2/te", te)
    assert again.status == 400 and again.json()["error_description"].startswith("ESIA-007011: ")


def test_legacy_cms_by_an_unregistered_certificate_is_refused(
    esia_emulator_server: str, esia_emulator_db: Path, tmp_path: Path
) -> None:
    mnemonic, _key, _cert = registered_client(esia_emulator_db, tmp_path / "..", "A")
    stranger_key, stranger_cert = make_key_and_cert(tmp_path, "A", name="stranger")
    state, timestamp = str(uuid.uuid4()), esia_timestamp()
    der = sign_cms(stranger_key, stranger_cert, (SCOPE + timestamp + mnemonic + state).encode(), tmp_path,
                   signed_attributes=False)  # fmt: skip
    params = {
        "client_id": mnemonic, "redirect_uri": REDIRECT, "scope": SCOPE, "response_type": "code",
        "state": state, "timestamp": timestamp, "access_type": "online", "client_secret": b64url(der),
    }  # fmt: skip
    response = Browser(esia_emulator_server).get("/aas/oauth2/ac?" + urllib.parse.urlencode(params))
    assert refused(response, state) == "ESIA-007053: OAuthErrorEnum.clientSecretWrong"


def test_a_certificate_on_an_unusable_curve_is_refused_at_registration(
    esia_emulator_db: Path, tmp_path: Path
) -> None:
    _key, cert = make_key_and_cert(tmp_path, "A", algorithm="gost2012_512")
    done = register(
        esia_emulator_db, "--mnemonic", "BIGKEY01", "--cert", str(cert), "--redirect-uri", REDIRECT
    )
    assert done.returncode != 0
    assert "512 бит" in done.stderr and str(cert) in done.stderr


def test_registration_refuses_bad_input_with_reasons(esia_emulator_db: Path, tmp_path: Path) -> None:
    _key, cert = make_key_and_cert(tmp_path, "A")
    cases = [
        (["--mnemonic", "ПЛОХО", "--cert", str(cert), "--redirect-uri", REDIRECT], "мнемоника"),
        (
            ["--mnemonic", "OK01", "--cert", str(tmp_path / "none.pem"), "--redirect-uri", REDIRECT],
            "не читается",
        ),
        (["--mnemonic", "OK01", "--cert", str(cert), "--redirect-uri", "ftp://x/"], "адрес возврата"),
        (
            ["--mnemonic", "OK01", "--cert", str(cert), "--redirect-uri", REDIRECT, "--scope", "fullname"],
            "openid",
        ),
    ]
    for args, reason in cases:
        done = register(esia_emulator_db, *args)
        assert done.returncode != 0 and reason in done.stderr, (args, done.stderr)
