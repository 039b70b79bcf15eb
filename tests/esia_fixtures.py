"""The ЕСИА emulator as a real HTTP server for tests, plus a tiny protocol client built on gostkit.

Reuse from any test package:  `from tests.esia_fixtures import esia_emulator_server  # noqa: F401`
The fixture yields the base URL (`http://127.0.0.1:<port>`); the demo client's key and certificate are
CLIENT_KEY_PATH / CLIENT_CERT_PATH, the emulator's token certificate ESIA_CERT_PATH.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import gostkit
from tests.servers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "esia_emulator" / "data"
CLIENT_ID = "FRMR01"
CLIENT_KEY_PATH = DATA_DIR / "client" / "client.key.pem"
CLIENT_CERT_PATH = DATA_DIR / "client" / "client.cert.pem"
ESIA_CERT_PATH = DATA_DIR / "esia" / "esia.cert.pem"
ESIA_KEY_PATH = DATA_DIR / "esia" / "esia.key.pem"

MOSCOW = timezone(timedelta(hours=3))


@dataclass
class EmulatorProcess:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def emulator_env(db_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["ESIA_EMULATOR_DATABASE_URL"] = f"sqlite:///{db_path}"
    env.update(overrides)
    return env


def prepare_emulator(db_path: Path, **overrides: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "esia_emulator", "prepare"],
        cwd=ROOT,
        env=emulator_env(db_path, **overrides),
        check=True,
        capture_output=True,
    )


def start_emulator(db_path: Path, log_dir: Path, **overrides: str) -> EmulatorProcess:
    """Runs `python -m esia_emulator serve` on a free port and waits until it answers."""
    port = free_port()
    log_path = log_dir / f"esia-emulator-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "esia_emulator", "serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=emulator_env(db_path, **overrides),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    emulator = EmulatorProcess(base_url, process, log_path)
    try:
        wait_until_serving(process, base_url + "/aas/oauth2/cert", log_path, name="the ЕСИА emulator")
    except RuntimeError:
        emulator.stop()
        raise
    return emulator


@pytest.fixture(scope="session")
def esia_emulator_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("esia-emulator") / "esia_emulator.sqlite3"
    prepare_emulator(db_path)
    return db_path


@pytest.fixture(scope="session")
def esia_emulator_server(esia_emulator_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running ЕСИА emulator with its own temporary database (seeded demo users)."""
    emulator = start_emulator(esia_emulator_db, tmp_path_factory.mktemp("esia-emulator-log"))
    try:
        yield emulator.base_url
    finally:
        emulator.stop()


# --- a tiny browser + protocol client --------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.location).query))


@dataclass
class Browser:
    """One browser: its own cookie jar; redirects are returned, not followed."""

    base_url: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def request(self, method: str, url: str, data: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> Response:  # fmt: skip
        if url.startswith("/"):
            url = self.base_url + url
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
            req.add_header("Referer", self.base_url + "/")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        try:
            with opener.open(req, timeout=15) as raw:
                return Response(raw.status, {k.lower(): v for k, v in raw.headers.items()}, raw.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", url, headers=headers)

    def post_form(self, url: str, fields: dict[str, str]) -> Response:
        """Posts the way a browser would: with the CSRF token taken from the page at `url`."""
        page = self.get(url)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {url}: {page.status}"
        return self.request("POST", url, {"csrfmiddlewaretoken": match.group(1), **fields})

    def drop_session_cookies(self) -> None:
        """What closing the browser does: cookies without an expiry disappear."""
        self.jar.clear_session_cookies()


def esia_timestamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(MOSCOW)).strftime("%Y.%m.%d %H:%M:%S %z")


@dataclass
class EsiaTestClient:
    """Signs requests the way the register's ЕСИА client must (research §1.2, §1.4)."""

    base_url: str
    redirect_uri: str = "http://127.0.0.1:8000/login/esia/callback/"
    scope: str = "openid fullname birthdate gender snils email mobile"
    client_id: str = CLIENT_ID
    key: gostkit.PrivateKey = field(
        default_factory=lambda: gostkit.load_private_key_pem(CLIENT_KEY_PATH.read_bytes())
    )
    cert: gostkit.Certificate = field(
        default_factory=lambda: gostkit.load_certificate_pem(CLIENT_CERT_PATH.read_bytes())
    )

    def sign(self, text: str) -> str:
        return gostkit.b64url_encode(gostkit.sign_raw(self.key, text.encode("utf-8")))

    def ac_params(self, **overrides: str) -> dict[str, str]:
        params = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "response_type": "code",
            "state": str(uuid.uuid4()),
            "timestamp": esia_timestamp(),
            "access_type": "offline",
            "client_certificate_hash": self.cert.hash,
        }
        params.update({k: v for k, v in overrides.items() if k != "client_secret"})
        signed = (params["client_id"] + params["scope"] + params.get("scope_org", "") + params["timestamp"]
                  + params["state"] + params["redirect_uri"])  # fmt: skip
        params["client_secret"] = overrides.get("client_secret", self.sign(signed))
        return params

    def ac_url(self, **overrides: str) -> str:
        return self.base_url + "/aas/oauth2/v2/ac?" + urllib.parse.urlencode(self.ac_params(**overrides))

    def te_params(self, code: str = "", *, refresh_token: str = "", **overrides: str) -> dict[str, str]:
        params = {
            "client_id": self.client_id,
            "grant_type": "refresh_token" if refresh_token else "authorization_code",
            "client_certificate_hash": self.cert.hash,
            "state": str(uuid.uuid4()),
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "timestamp": esia_timestamp(),
            "token_type": "Bearer",
        }
        if refresh_token:
            params["refresh_token"] = refresh_token
        else:
            params["code"] = code
        params.update({k: v for k, v in overrides.items() if k != "client_secret"})
        signed = (params["client_id"] + params["scope"] + params.get("scope_org", "") + params["timestamp"]
                  + params["state"] + params["redirect_uri"] + params.get("code", ""))  # fmt: skip
        params["client_secret"] = overrides.get("client_secret", self.sign(signed))
        return params

    def exchange(self, code: str = "", **kwargs: str) -> Response:
        return Browser(self.base_url).request("POST", "/aas/oauth2/v3/te", self.te_params(code, **kwargs))
