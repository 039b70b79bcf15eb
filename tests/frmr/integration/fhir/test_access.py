"""Who may read what: the ФРМР API's tokens and scope, refusals as OperationOutcome."""

from __future__ import annotations

import datetime
import io
import json
import sys
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from frmr.audit.actors import SYSTEM
from frmr.integration.models import ApiToken
from frmr.integration.selectors import api_token_forget
from frmr.integration.services import api_token_revoke
from tests.frmr.integration.fhir.conftest import Fhir, Staff, outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["Practitioner", "PractitionerRole/1", "Organization/_history", "Nothing"])
def test_no_token_is_401(fhir_a: Fhir, path: str) -> None:
    response = fhir_a.get(path, raw=None)
    outcome(response, 401, "login", "Authorization: Bearer")
    assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_and_revoked_tokens_are_401(fhir_a: Fhir, staff: Staff) -> None:
    response = fhir_a.get("Practitioner", raw="x" * 43)
    outcome(response, 401, "login", "Токен не найден")
    assert "invalid_token" in response["WWW-Authenticate"]
    token = ApiToken.objects.get()
    api_token_revoke(token=token, actor=SYSTEM)
    api_token_forget(token=token)
    outcome(fhir_a.get(f"Practitioner/{staff.nina.oid}"), 401, "login", "отозван")


def test_expired_token_is_401(fhir_a: Fhir, staff: Staff) -> None:
    ApiToken.objects.update(valid_until=datetime.date(2020, 1, 1))
    api_token_forget(token=ApiToken.objects.get())
    outcome(fhir_a.get("Practitioner"), 401, "login", "истёк")


def test_other_organizations_persons_and_cards_are_404(fhir_a: Fhir, fhir_b: Fhir, staff: Staff) -> None:
    assert fhir_b.get(f"Practitioner/{staff.pavel.oid}").status_code == 200
    assert fhir_b.get(f"PractitionerRole/{staff.pavel_card.pk}").status_code == 200
    # A's token: B's worker does not exist for it, nor does B's card.
    outcome(fhir_a.get(f"Practitioner/{staff.pavel.oid}"), 404, "not-found")
    outcome(fhir_a.get(f"PractitionerRole/{staff.pavel_card.pk}"), 404, "not-found")
    outcome(fhir_b.get(f"Practitioner/{staff.nina.oid}"), 404, "not-found")
    assert [e["resource"]["id"] for e in fhir_b.get("PractitionerRole").body["entry"]] == [
        str(staff.pavel_card.pk)
    ]


def test_search_of_another_organizations_roles_is_403(fhir_a: Fhir, staff: Staff, org_a, org_b) -> None:
    outcome(
        fhir_a.get("PractitionerRole", organization=f"Organization/{org_b.oid}"),
        403,
        "forbidden",
        org_a.oid,
        org_b.oid,
    )


def test_organizations_and_locations_are_public_to_any_token(fhir_b: Fhir, org_a) -> None:
    assert fhir_b.get(f"Organization/{org_a.oid}").status_code == 200
    assert fhir_b.get(f"Location/{org_a.departments.get().pk}").status_code == 200


def test_rate_limit_is_429(fhir_a: Fhir, settings) -> None:
    settings.FRMR_API_RATE_PER_MINUTE = 1
    assert fhir_a.get("Organization").status_code == 200
    response = fhir_a.get("Organization")
    outcome(response, 429, "throttled", "Слишком много запросов")
    assert int(response["Retry-After"]) >= 1


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writes_are_405(fhir_a: Fhir, method: str) -> None:
    response = getattr(Client(), method)(
        "/fhir/Practitioner", headers={"Authorization": f"Bearer {fhir_a.raw}"}
    )
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert response["Content-Type"].startswith("application/fhir+json")


def _wsgi_get(
    app: Any, path: str, token: str | None, host: str = "testserver"
) -> tuple[int, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}),
    }
    started: list[Any] = []
    # As Django's test client does: the request signals must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        body = b"".join(chunks)
        chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), body


@pytest.mark.parametrize("entry", ["site", "api"])
def test_served_by_the_api_handler(fhir_a: Fhir, staff: Staff, entry: str) -> None:
    """Both WSGI entries send /fhir/ to the API's lean handler: no session cookie, no page CSP."""
    import config.wsgi
    import config.wsgi_api

    app = config.wsgi.application if entry == "site" else config.wsgi_api.application
    status, headers, body = _wsgi_get(app, f"/fhir/Practitioner/{staff.nina.oid}", fhir_a.raw)
    assert status == 200 and headers["Content-Type"].startswith("application/fhir+json")
    assert json.loads(body)["id"] == staff.nina.oid
    assert "Content-Security-Policy" not in headers and "Set-Cookie" not in headers
    status, headers, body = _wsgi_get(app, "/fhir/Nothing/1/2", None)
    assert status == 401 and json.loads(body)["resourceType"] == "OperationOutcome"


def test_failures_are_operation_outcomes(fhir_a: Fhir, staff: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    from frmr.integration.fhir import directory

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(directory, "read", broken)
    outcome(fhir_a.get(f"Practitioner/{staff.nina.oid}"), 500, "exception", "Внутренняя ошибка")

    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(directory, "read", unavailable)
    response = fhir_a.get(f"Practitioner/{staff.nina.oid}")
    outcome(response, 503, "transient", "временно недоступен")
    assert response["Retry-After"]


def test_a_host_outside_allowed_hosts_is_400(fhir_a: Fhir, staff: Staff, settings: Any) -> None:
    """The links are built from Host: one outside ALLOWED_HOSTS is refused, on both stacks."""
    import config.wsgi_api

    settings.ALLOWED_HOSTS = ["frmr.example"]
    assert Client(HTTP_HOST="evil.example").get("/fhir/metadata").status_code == 400
    status, _headers, body = _wsgi_get(
        config.wsgi_api.application, "/fhir/Organization", fhir_a.raw, "evil.example"
    )
    assert status == 400 and json.loads(body)["issue"][0]["code"] == "invalid"
