"""Key material and a scriptable stand-in for ЕСИА's HTTP answers (for the cases the emulator, which
behaves, never produces: a forged token, a foreign audience, a lost `state`, a server error)."""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("esia-client-keys")
    client_key = gostkit.generate_private_key()
    client_cert = gostkit.make_self_signed_certificate(client_key, "FRMR01 test", days=30)
    (folder / "k.pem").write_bytes(client_key.to_pem())
    (folder / "c.pem").write_bytes(client_cert.to_pem())
    esia_key = gostkit.generate_private_key()
    esia_cert = gostkit.make_self_signed_certificate(esia_key, "ЕСИА тест", days=30)
    signer = GostcryptoSigner(key_path=folder / "k.pem", cert_path=folder / "c.pem")
    return Keys(client_key, client_cert, esia_key, esia_cert, signer)


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
