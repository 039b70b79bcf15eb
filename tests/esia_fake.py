"""Key material and a scriptable stand-in for ЕСИА's HTTP answers (for the cases the emulator, which
behaves, never produces: a forged token, a foreign audience, a lost `state`, a server error).

Use from a test package's conftest: `from tests.esia_fake import esia_keys, fake_esia  # noqa: F401`.
"""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import gostkit
from frmr.esia.client import EsiaClient, EsiaConfig
from frmr.esia.signers import GostcryptoSigner

CLIENT_ID = "FRMR01"
REDIRECT = "http://127.0.0.1:8000/login/esia/callback/"
SCOPE = "openid fullname birthdate gender snils email mobile"


@dataclass
class Keys:
    client_key: gostkit.PrivateKey
    client_cert: gostkit.Certificate
    esia_key: gostkit.PrivateKey
    esia_cert: gostkit.Certificate
    signer: GostcryptoSigner
    folder: Path

    def settings(self, base_url: str, **extra: Any) -> dict[str, Any]:
        """Settings that point the product's client at `base_url` with these keys."""
        return {
            "ESIA_BASE_URL": base_url,
            "ESIA_SIGNER": "gostcrypto",
            "ESIA_KEY_PATH": str(self.folder / "client.key.pem"),
            "ESIA_CERT_PATH": str(self.folder / "client.cert.pem"),
            "ESIA_VERIFY_CERT_PATH": str(self.folder / "esia.cert.pem"),
            "ESIA_TOKEN_ISSUER": "auto",
            **extra,
        }


@pytest.fixture(scope="session")
def esia_keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("esia-client-keys")
    client_key = gostkit.generate_private_key()
    client_cert = gostkit.make_self_signed_certificate(client_key, "FRMR01 test", days=30)
    (folder / "client.key.pem").write_bytes(client_key.to_pem())
    (folder / "client.cert.pem").write_bytes(client_cert.to_pem())
    esia_key = gostkit.generate_private_key()
    esia_cert = gostkit.make_self_signed_certificate(esia_key, "ЕСИА тест", days=30)
    (folder / "esia.cert.pem").write_bytes(esia_cert.to_pem())
    signer = GostcryptoSigner(key_path=folder / "client.key.pem", cert_path=folder / "client.cert.pem")
    return Keys(client_key, client_cert, esia_key, esia_cert, signer, folder)


@pytest.fixture
def keys(esia_keys: Keys) -> Keys:
    return esia_keys


@dataclass
class FakeEsia:
    """Answers requests from `routes` (path → (status, body)) and records what it received."""

    url: str = ""
    routes: dict[str, tuple[int, Any]] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def fake_esia() -> Iterator[FakeEsia]:
    fake = FakeEsia()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            parts = urlsplit(self.path)
            fake.received.append(
                {"method": self.command, "path": parts.path, "query": parts.query,
                 "form": {k: v[0] for k, v in parse_qs(body).items()},
                 "authorization": self.headers.get("Authorization", "")}
            )  # fmt: skip
            status, payload = fake.routes.get(parts.path, (404, {"error": "not_found"}))
            if callable(payload):
                payload = payload(fake.received[-1])
            raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


def make_client(keys: Keys, base_url: str, *, now: datetime.datetime | None = None) -> EsiaClient:
    config = EsiaConfig(
        base_url=base_url,
        client_id=CLIENT_ID,
        redirect_uri=REDIRECT,
        scope=SCOPE,
        timeout=3,
        leeway_seconds=60,
    )
    clock = (lambda: now) if now else (lambda: datetime.datetime.now(datetime.UTC))
    return EsiaClient(config=config, signer=keys.signer, verify_key=keys.esia_cert.public_key, now=clock)


def token_pair(
    keys: Keys,
    base_url: str,
    *,
    oid: int = 1000000001,
    key: gostkit.PrivateKey | None = None,
    **overrides: Any,
) -> tuple[str, str]:
    now = int(datetime.datetime.now(datetime.UTC).timestamp())
    host = urlsplit(base_url).netloc
    common = {"iss": f"http://{host}/", "nbf": now, "iat": now, "exp": now + 3600, "urn:esia:sid": "sid-1"}
    access = {**common, "client_id": CLIENT_ID, "urn:esia:sbj_id": oid, "scope": f"openid fullname?oid={oid}"}
    identity = {
        **common, "aud": CLIENT_ID, "sub": oid, "amr": "PWD", "urn:esia:amd": "PWD",
        "urn:esia:sbj": {"urn:esia:sbj:typ": "P", "urn:esia:sbj:oid": oid, "urn:esia:sbj:is_tru": True},
    }  # fmt: skip
    access.update(overrides.get("access", {}))
    identity.update(overrides.get("identity", {}))
    signing = key or keys.esia_key
    return gostkit.jwt_encode(access, signing), gostkit.jwt_encode(identity, signing)


def token_route(keys: Keys, fake: FakeEsia, **overrides: Any) -> Any:
    """A /v3/te answer made at request time (so `exp` is fresh), echoing the request's state."""

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        access, identity = token_pair(keys, fake.url, **overrides)
        state = overrides.get("state", request["form"].get("state"))
        return {"access_token": access, "id_token": identity, "state": state, "token_type": "Bearer",
                "expires_in": 3600}  # fmt: skip

    return answer


def ivanova_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "firstName": "Анна", "lastName": "Иванова", "middleName": "Сергеевна", "birthDate": "14.03.1985",
        "gender": "F", "snils": "112-233-445 95", "trusted": True,
        "contacts": {"elements": [
            {"type": "EML", "vrfStu": "NOT_VERIFIED", "value": "old@example.ru"},
            {"type": "EML", "vrfStu": "VERIFIED", "value": "ivanova.as@example.ru"},
            {"type": "MBT", "vrfStu": "VERIFIED", "value": "+7(916)1234501"},
        ]},
    }  # fmt: skip
    body.update(overrides)
    return body
