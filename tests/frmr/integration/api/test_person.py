from __future__ import annotations

import pytest

from frmr.audit.models import AuditAction, AuditEntry
from frmr.registry.models import Person
from tests.frmr.integration.api.conftest import EXAMPLE_PERSON, assert_envelope_error, example_person

pytestmark = pytest.mark.django_db


def test_create_with_the_real_example_and_read_back(api_a, org_a) -> None:
    created = api_a.post("person", EXAMPLE_PERSON, mr="true")
    assert created.status_code == 200, created.content.decode()
    envelope = created.json_body
    assert envelope["errorUserMessage"] is None and envelope["requestId"]
    oid = envelope["content"]["entityId"]
    person = Person.objects.get(oid=oid)
    assert person.snils == "99999999901" and person.created_by_organization == org_a
    assert oid != "2022.0055647"  # the register assigns its own OID

    by_snils = api_a.get("person", snils="999-999-999 01")
    by_oid = api_a.get("person", oid=oid, mr="true")
    by_document = api_a.get("person", documentId=1, serial="7609", number="456987")
    for response in (by_snils, by_oid, by_document):
        assert response.status_code == 200, response.content.decode()
        assert response.json_body["content"] == by_snils.json_body["content"]
    content = by_snils.json_body["content"]
    assert content["oid"] == oid
    assert (content["lastName"], content["firstName"], content["patronymic"]) == (
        "Иванова",
        "Нина",
        "Ивановна",
    )
    assert content["gender"] == 2 and content["birthDate"] == "1986-01-22T00:00:00.0000000Z"
    assert content["citizenShipId"]["code"] == 1 and content["phone"] == "+79129290925"
    [document] = content["documents"]
    assert (document["documentId"], document["serial"], document["number"]) == (1, "7609", "456987")
    assert document["passDate"] == "2006-02-10T00:00:00.0000000Z" and document["codeOrg"] == "750-001"
    [address] = content["addresses"]
    assert address["addressTypeId"] == 1 and address["regDate"] == "2006-03-01T00:00:00.0000000Z"
    assert address["address"]["region"] == 75
    assert address["address"]["flat"] == "35"
    # Every field the client sent comes back as sent (the OID is the register's, the phone normalized).
    for key, value in EXAMPLE_PERSON.items():
        if key in ("oid", "phone", "documents", "addresses"):
            continue
        assert content[key] == value, key
    sent_address = EXAMPLE_PERSON["addresses"][0]
    assert address["addressId"] == sent_address["addressId"]
    for key, value in sent_address["address"].items():
        assert address["address"][key] == value, key


def test_prefixes_of_an_address_come_back_apart(api_a) -> None:
    # Before: `prefixArea "г"` + `areaName "Москва"` came back as `areaName "г Москва"`.
    body = example_person()
    body["addresses"][0]["address"].update(region=77, prefixArea="г", areaName="Москва")
    assert api_a.post("person", body).status_code == 200
    [address] = api_a.get("person", snils=body["snils"]).json_body["content"]["addresses"]
    assert (address["address"]["prefixArea"], address["address"]["areaName"]) == ("г", "Москва")


def test_a_field_the_real_api_does_not_have_is_refused_by_name(api_a) -> None:
    body = example_person(favouriteColour="синий")
    body["addresses"][0]["address"]["porch"] = "2"
    refused = assert_envelope_error(api_a.post("person", body), 422, "favouriteColour", "address.porch")
    assert "не сохранит" in refused["message"]
    assert not Person.objects.filter(snils=body["snils"]).exists()


def test_person_put_keeps_the_address_named_by_its_address_id(api_a) -> None:
    assert api_a.post("person", EXAMPLE_PERSON).status_code == 200
    body = example_person()
    body["addresses"][0]["address"]["flat"] = "36"
    assert api_a.put("person", body, snils=body["snils"]).status_code == 200
    [address] = api_a.get("person", snils=body["snils"]).json_body["content"]["addresses"]
    assert address["addressId"] == body["addresses"][0]["addressId"] and address["address"]["flat"] == "36"


def test_writes_are_audited_with_the_token(api_a, token_a, org_a) -> None:
    api_a.post("person", EXAMPLE_PERSON)
    entries = AuditEntry.objects.filter(person__snils="99999999901")
    assert {e.object_type for e in entries} == {
        "registry.person",
        "registry.identitydocument",
        "registry.address",
    }
    token = token_a[0]
    for entry in entries:
        assert entry.actor is None and entry.organization == org_a
        assert entry.actor_label == f"API-токен {token.prefix} (МИС больницы)"
        assert entry.action == AuditAction.CREATE


def test_existing_snils_is_a_conflict_pointing_to_put(api_a, api_b) -> None:
    api_a.post("person", EXAMPLE_PERSON)
    again = api_a.post("person", EXAMPLE_PERSON)
    assert_envelope_error(again, 409, "уже есть в регистре", "PUT person")
    # Another organization learns only that the СНИЛС is taken, and how to hire the person.
    other = api_b.post("person", EXAMPLE_PERSON)
    body = assert_envelope_error(other, 409, "POST person/card")
    assert "Иванова" not in body["errorUserMessage"]


def test_put_changes_personal_data_and_replaces_own_documents(api_a) -> None:
    api_a.post("person", EXAMPLE_PERSON)
    changed = example_person(
        phone="+7 914 000-11-22",
        documents=[{"documentId": 1, "serial": "7610", "number": "111222", "passDate": "2016-02-10"}],
    )
    response = api_a.put("person", changed, snils="99999999901")
    assert response.status_code == 200, response.content.decode()
    content = api_a.get("person", snils="99999999901").json_body["content"]
    assert content["phone"] == "+79140001122"
    assert [(d["serial"], d["number"]) for d in content["documents"]] == [("7610", "111222")]
    assert len(content["addresses"]) == 1
    update = AuditEntry.objects.filter(object_type="registry.person", action=AuditAction.UPDATE).get()
    assert update.changes == {"phone": ["+79129290925", "+79140001122"]}


def test_delete_person_entered_by_mistake(api_a, api_b, org_a) -> None:
    api_a.post("person", EXAMPLE_PERSON)
    assert_envelope_error(api_b.delete("person", snils="99999999901"), 404)
    response = api_a.delete("person", snils="99999999901")
    assert response.status_code == 200
    assert not Person.objects.filter(snils="99999999901").exists()
    assert AuditEntry.objects.filter(object_type="registry.person", action=AuditAction.DELETE).exists()


def test_delete_person_known_elsewhere_is_refused(api_a, api_b, org_b) -> None:
    api_a.post("person", EXAMPLE_PERSON)
    department = org_b.departments.get()
    hire = {
        "nrPmuDepartId": department.oid,
        "postId": 1001,
        "positionTypeId": 1,
        "rate": 1,
        "beginDate": "2024-01-10",
    }
    assert api_b.post("person/card", hire, snils="99999999901", lastName="иванова").status_code == 200
    refused = api_a.delete("person", snils="99999999901")
    assert_envelope_error(refused, 409, "карточки в других организациях")
    assert Person.objects.filter(snils="99999999901").exists()


def test_person_list_pages(api_a, org_a) -> None:
    from tests.factories import EmploymentCardFactory

    for _ in range(12):
        EmploymentCardFactory(organization=org_a, department=org_a.departments.get())
    first = api_a.get("person/list", offset=0, limit=5).json_body
    assert (first["offset"], first["limit"], first["total"], len(first["content"])) == (0, 5, 12, 5)
    assert first["errorUserMessage"] is None
    seen = [p["oid"] for p in first["content"]]
    for offset in (5, 10):
        page = api_a.get("person/list", offset=offset, limit=5).json_body
        seen += [p["oid"] for p in page["content"]]
    assert len(seen) == len(set(seen)) == 12
    default = api_a.get("person/list").json_body
    assert default["limit"] == 10 and len(default["content"]) == 10


def test_openapi_and_docs_are_served(client) -> None:
    schema = client.get("/api/frmr/openapi.json")
    assert schema.status_code == 200 and "/api/frmr/person/list" in schema.json()["paths"]
    docs = client.get("/api/frmr/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
