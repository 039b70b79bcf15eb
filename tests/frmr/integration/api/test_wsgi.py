"""The API's lean WSGI path (frmr/integration/api/wsgi.py) answers as the full site stack does."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone

from frmr.integration.models import ApiToken
from tests.factories import AddressFactory, EmploymentCardFactory, IdentityDocumentFactory
from tests.frmr.integration.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_apps() -> dict[str, Any]:
    """The real entry points: the site's (dispatching) and the API-only one."""
    import config.wsgi
    import config.wsgi_api

    return {"site": config.wsgi.application, "api": config.wsgi_api.application}


def call(app: Any, path: str, query: str = "", token: str | None = None) -> tuple[int, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    started: list[Any] = []
    # Like Django's test client: the request signals must not close the test's connection (that would
    # end the transaction the test runs in).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), body


def _without_request_id(body: bytes) -> dict[str, Any]:
    data = json.loads(body)
    assert data.pop("requestId")
    data.pop("timestamp", None)
    return data


def _employee(org: Any) -> Any:
    person = EmploymentCardFactory(organization=org, department=org.departments.get()).person
    IdentityDocumentFactory(person=person)
    AddressFactory(person=person)
    return person


def test_get_person_same_answer_as_the_full_stack(wsgi_apps, api_a, org_a) -> None:
    person = _employee(org_a)
    full = api_a.get("person", snils=person.snils)  # Django's test client: every site middleware
    assert full.status_code == 200
    query = f"mo={org_a.oid}&snils={person.snils}"
    for app in (wsgi_apps["api"], wsgi_apps["site"]):
        status, headers, body = call(app, "/api/frmr/person", query, api_a.raw)
        assert status == 200
        assert headers["Content-Type"] == full["Content-Type"] == "application/json; charset=utf-8"
        assert _without_request_id(body) == _without_request_id(full.content)
        # What the lean stack keeps of the site's headers.
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "SAMEORIGIN"
        # …and what it leaves out: nothing session- or page-related.
        assert "Set-Cookie" not in headers and "Content-Security-Policy" not in headers


@pytest.mark.parametrize(
    ("path", "query", "with_token", "status", "fragment"),
    [
        ("/api/frmr/person/list", "", False, 401, "Authorization: Bearer"),
        ("/api/frmr/person", "snils=99999999902", True, 400, "Контрольное число СНИЛС"),
        ("/api/frmr/person", "snils=99999999901", True, 404, "не найден"),
        ("/api/frmr/person/unknown", "", True, 404, "person/list"),
        ("/api/frmr/person/list", "limit=101", True, 400, "не больше 100"),
    ],
)
def test_refusals_same_envelope_as_the_full_stack(
    wsgi_apps, api_a, org_a, path, query, with_token, status, fragment
) -> None:
    token = api_a.raw if with_token else None
    got_status, _, body = call(wsgi_apps["api"], path, f"mo={org_a.oid}&{query}", token)
    full = ApiClient(api_a.client, token, org_a.oid).call(
        "get", path.removeprefix("/api/frmr/"), **dict(item.split("=") for item in query.split("&") if item)
    )
    assert got_status == full.status_code == status
    lean = _without_request_id(body)
    assert lean == _without_request_id(full.content)
    assert fragment in lean["errorUserMessage"]


def test_openapi_document_and_docs_page_on_the_lean_path(wsgi_apps) -> None:
    status, headers, body = call(wsgi_apps["api"], "/api/frmr/openapi.json")
    assert status == 200 and json.loads(body)["info"]["title"] == "ФРМР: интеграционный API"
    status, headers, body = call(wsgi_apps["api"], "/api/frmr/docs")
    assert status == 200 and headers["Content-Type"].startswith("text/html")


def test_the_site_is_still_served_by_the_site_stack(wsgi_apps) -> None:
    status, headers, _ = call(wsgi_apps["site"], "/")
    assert status == 200
    assert "Content-Security-Policy" in headers  # the site's middleware ran


def test_revoked_elsewhere_is_refused_on_the_next_request(wsgi_apps, api_a, org_a, token_a) -> None:
    """The process remembers the token, but whether it is active is read from the database each time."""
    person = _employee(org_a)
    query = f"mo={org_a.oid}&snils={person.snils}"
    assert call(wsgi_apps["api"], "/api/frmr/person", query, api_a.raw)[0] == 200
    # Another process (the cabinet's) revokes it: this process's memory is not told.
    ApiToken.objects.filter(pk=token_a[0].pk).update(revoked_at=timezone.now())
    status, _, body = call(wsgi_apps["api"], "/api/frmr/person", query, api_a.raw)
    assert status == 401 and "отозван" in json.loads(body)["errorUserMessage"]
    ApiToken.objects.filter(pk=token_a[0].pk).delete()
    status, _, body = call(wsgi_apps["api"], "/api/frmr/person", query, api_a.raw)
    assert status == 401 and "Токен не найден" in json.loads(body)["errorUserMessage"]


@override_settings(FRMR_API_RATE_PER_MINUTE=3)
def test_rate_limit_on_the_lean_path(wsgi_apps, api_a, org_a) -> None:
    person = _employee(org_a)
    query = f"mo={org_a.oid}&snils={person.snils}"
    statuses = [call(wsgi_apps["api"], "/api/frmr/person", query, api_a.raw)[0] for _ in range(3)]
    assert statuses == [200, 200, 200]
    status, headers, body = call(wsgi_apps["api"], "/api/frmr/person", query, api_a.raw)
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60
    assert "не больше 3 в минуту" in json.loads(body)["errorUserMessage"]
    # Counted across stacks: the site stack's requests share the same counter.
    assert api_a.get("person", snils=person.snils).status_code == 429
