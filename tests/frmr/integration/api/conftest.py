"""Fixtures of the integration API tests: dictionaries, tokens, and a small client speaking the API."""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from frmr.audit.actors import SYSTEM
from frmr.integration.services import api_token_create
from frmr.nsi.services import dictionaries_load
from frmr.registry.models import Organization

# The real register's example POST body (parusrx Frmr.API.http, research §2.2), rebuilt from the field
# lists: Иванова Нина, a Chita address (region 75), a passport (document type 1), dates as the real
# clients send them (date-times with seven fractional digits), and the real register's optional fields.
EXAMPLE_PERSON: dict[str, Any] = {
    "mr": True,
    "student": False,
    "oid": "2022.0055647",
    "lastName": "Иванова",
    "firstName": "Нина",
    "patronymic": "Ивановна",
    "gender": 2,
    "birthDate": "1986-01-22T00:00:00.0000000Z",
    "snils": "99999999901",
    "inn": "500100732259",
    "citizenShipId": {"code": 1, "name": "Гражданин РФ"},
    "oksmId": {"code": 643, "name": "Россия"},
    "militaryRelationId": 2,
    "phone": "9129290925",
    "email": "nina@example.ru",
    "isDisabled": True,
    "disabledGroupId": 3,
    "disabledGroupName": "III",
    "disabledDate": "2016-01-22T00:00:00.0000000Z",
    "covid19": False,
    "documents": [
        {
            "serial": "7609",
            "number": "456987",
            "passDate": "2006-02-10T00:00:00.0000000Z",
            "passOrg": "УФМС России по Забайкальскому краю",
            "codeOrg": "750-001",
            "documentId": 1,
        }
    ],
    "addresses": [
        {
            "addressId": "0b8f6b2e-4d36-4c55-9c1a-2f0f1d1c9a11",
            "regDate": "2006-03-01T00:00:00.0000000Z",
            "addressTypeId": 1,
            "address": {
                "GARguid": "5c9ffb8a-2e4a-4b0c-9d1d-0c7b0b6a1e21",
                "aoidArea": "2d0b4a9c-1f0e-4c1a-8d7e-3b5a6c7d8e90",
                "aoidStreet": "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2910",
                "houseid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "region": 75,
                "areaName": "Чита",
                "prefixArea": "г",
                "streetName": "Ленина",
                "prefixStreet": "ул",
                "house": "111",
                "building": "1",
                "struct": "2",
                "flat": "35",
            },
        }
    ],
}


def example_person(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(EXAMPLE_PERSON)
    body.update(changes)
    return body


class ApiClient:
    """Requests to /api/frmr/ with a bearer token and `mo` filled in; answers parsed as JSON."""

    def __init__(self, client: Client, raw: str | None, mo: str) -> None:
        self.client = client
        self.raw = raw
        self.mo = mo

    def url(self, resource: str, params: dict[str, Any]) -> str:
        query = {"mo": self.mo, **params}
        query = {k: v for k, v in query.items() if v is not None}
        return f"/api/frmr/{resource}?{urlencode(query)}"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.raw}"} if self.raw else {}

    def call(self, method: str, resource: str, body: Any = None, **params: Any) -> Any:
        data = body if isinstance(body, str | bytes) or body is None else json.dumps(body, ensure_ascii=False)
        response = getattr(self.client, method)(
            self.url(resource, params), data=data, content_type="application/json", headers=self._headers()
        )
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def get(self, resource: str, **params: Any) -> Any:
        return self.call("get", resource, **params)

    def post(self, resource: str, body: Any, **params: Any) -> Any:
        return self.call("post", resource, body, **params)

    def put(self, resource: str, body: Any, **params: Any) -> Any:
        return self.call("put", resource, body, **params)

    def delete(self, resource: str, **params: Any) -> Any:
        return self.call("delete", resource, **params)


@pytest.fixture
def dicts(db: None) -> None:
    dictionaries_load()


@pytest.fixture
def token_a(dicts: None, org_a: Organization) -> tuple[Any, str]:
    return api_token_create(organization=org_a, actor=SYSTEM, name="МИС больницы")


@pytest.fixture
def api_a(token_a: tuple[Any, str], org_a: Organization) -> ApiClient:
    return ApiClient(Client(), token_a[1], org_a.oid)


@pytest.fixture
def api_b(dicts: None, org_b: Organization) -> ApiClient:
    _, raw = api_token_create(organization=org_b, actor=SYSTEM, name="МИС поликлиники")
    return ApiClient(Client(), raw, org_b.oid)


def assert_envelope_error(response: Any, status: int, *fragments: str) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    body = response.json_body
    # The real register's error body, and this register's envelope beside it.
    assert set(body) >= {"timestamp", "code", "reasonPhrase", "message", "requestId", "errorUserMessage"}
    assert body["code"] == status and body["reasonPhrase"] and body["timestamp"].endswith("Z")
    assert body["content"] is None and body["requestId"]
    message = body["errorUserMessage"]
    assert body["message"] == message
    assert message and any("а" <= ch <= "я" for ch in message.lower()), message
    for fragment in fragments:
        assert fragment in message, message
    return body
