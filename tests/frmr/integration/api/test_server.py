"""The API under granian, its production server (docs/decisions/0002-api-server.md), over real HTTP.

The in-process tests call the WSGI application directly; this one checks what only a real server
shows: the environment granian builds (bearer token, query string, request body, client address) and
the answer it sends back. PostgreSQL only: the server is another process and must see the test's data.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from frmr.audit.actors import SYSTEM
from frmr.integration.services import api_token_create
from frmr.nsi.services import dictionaries_load
from tests.frmr.integration.api.conftest import EXAMPLE_PERSON
from tests.servers import free_port, wait_until_serving

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[4]
GRANIAN = ROOT / ".venv" / "bin" / "granian"


@pytest.fixture
def granian_api(tmp_path: Path) -> Iterator[str]:
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            f"/{settings['NAME']}"
        ),
        "DJANGO_DEBUG": "0",
    }
    port = free_port()
    log_path = tmp_path / "granian.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [str(GRANIAN), "--interface", "wsgi", "config.wsgi_api:application", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--blocking-threads", "1", "--runtime-mode", "st"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, f"{base}/api/frmr/openapi.json", log_path, name="granian")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def _call(method: str, url: str, token: str | None, body: Any = None) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_person_written_and_read_through_granian(org_a, granian_api) -> None:
    dictionaries_load()
    _, token = api_token_create(organization=org_a, actor=SYSTEM, name="МИС больницы")
    person_url = f"{granian_api}/api/frmr/person?mo={org_a.oid}"

    status, created = _call("POST", person_url, token, EXAMPLE_PERSON)
    assert status == 200, created
    assert created["errorUserMessage"] is None

    status, read = _call("GET", f"{person_url}&snils={EXAMPLE_PERSON['snils']}", token)
    assert status == 200, read
    assert read["content"]["lastName"] == "Иванова"
    assert read["content"]["documents"][0]["number"] == "456987"


def test_refusals_through_granian(org_a, org_b, granian_api) -> None:
    dictionaries_load()
    _, token = api_token_create(organization=org_a, actor=SYSTEM, name="МИС больницы")

    status, body = _call("GET", f"{granian_api}/api/frmr/person?mo={org_a.oid}&snils=99999999901", None)
    assert status == 401
    assert body["content"] is None and "токен" in body["errorUserMessage"].lower()

    status, body = _call("GET", f"{granian_api}/api/frmr/person?mo={org_b.oid}&snils=99999999901", token)
    assert status == 403
    assert body["content"] is None and body["errorUserMessage"]
