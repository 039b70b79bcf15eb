"""The served OpenAPI document: what schemathesis and clients read from it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ERROR_STATUSES = {"400", "401", "403", "404", "409", "412", "413", "422", "429", "503"}


def _document(client: Client) -> dict:
    response = client.get("/api/frmr/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_creates_keep_their_answer_schema_beside_their_links(client: Client) -> None:
    document = _document(client)
    creates = [op for path in document["paths"].values() for verb, op in path.items() if verb == "post"]
    assert len(creates) >= 10
    for operation in creates:
        ok = operation["responses"]["200"]
        assert set(ok["links"]) >= {"get", "put", "delete"}, operation["operationId"]
        schema = ok["content"]["application/json"]["schema"]["$ref"]
        assert schema.endswith("WrittenEnvelope"), operation["operationId"]


def test_every_operation_declares_the_error_body(client: Client) -> None:
    document = _document(client)
    for path in document["paths"].values():
        for operation in path.values():
            declared = set(operation["responses"])
            assert declared >= ERROR_STATUSES, (operation["operationId"], ERROR_STATUSES - declared)
            for status in ERROR_STATUSES:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert schema.endswith("/ErrorEnvelope")
    error = document["components"]["schemas"]["ErrorEnvelope"]
    assert {"timestamp", "code", "reasonPhrase", "message"} <= set(error["required"])


def test_snils_and_inn_name_their_formats(client: Client) -> None:
    person = _document(client)["components"]["schemas"]["PersonIn"]["properties"]
    assert person["snils"]["format"] == "snils"
    assert person["inn"]["format"] == "inn"


def test_every_read_states_its_answer_field_for_field(client: Client) -> None:
    document = _document(client)
    schemas = document["components"]["schemas"]
    # The real register's resources (person…); other reads (the change feed) are described by their own tests.
    reads = {
        path: item["get"]
        for path, item in document["paths"].items()
        if "get" in item and path.startswith("/api/frmr/person")
    }
    assert len(reads) >= 13
    for path, operation in reads.items():
        envelope = schemas[
            operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        ]
        content = envelope["properties"]["content"]
        assert "anyOf" in content or "$ref" in content or content.get("type") == "array", (path, content)
        assert "content" in envelope["required"], path
    full = schemas["FullPersonOut"]
    assert {"educationProf", "personCard", "personAccreditation", "birthDate"} <= set(full["required"])
    assert full["properties"]["birthDate"]["format"] == "date-time"
    assert schemas["ProfOut"]["properties"]["institutionId"]["anyOf"][0]["type"] == "integer"
