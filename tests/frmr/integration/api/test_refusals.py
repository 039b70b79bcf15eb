"""Every refusal named in the issue: the envelope, a Russian message, and the right status."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from frmr.audit.actors import SYSTEM
from frmr.integration.services import api_token_revoke
from frmr.registry.models import Person
from tests.factories import EmploymentCardFactory, valid_snils
from tests.frmr.integration.api.conftest import (
    EXAMPLE_PERSON,
    ApiClient,
    assert_envelope_error,
    example_person,
)

pytestmark = pytest.mark.django_db


def test_bad_snils_checksum(api_a) -> None:
    body = assert_envelope_error(
        api_a.post("person", example_person(snils="99999999902")), 422, "Контрольное число СНИЛС"
    )
    assert body["errors"] == [{"field": "snils", "message": body["errors"][0]["message"]}]
    assert not Person.objects.exists()
    assert_envelope_error(api_a.get("person", snils="99999999902"), 400, "Контрольное число СНИЛС")


def test_foreign_mo(api_a, org_a, org_b) -> None:
    for resource in ("person", "person/list", "person/full", "person/card", "person/accreditation"):
        body = assert_envelope_error(api_a.get(resource, mo=org_b.oid, snils=valid_snils(1)), 403)
        assert f"Токен выдан организации «{org_a}»" in body["errorUserMessage"]
        assert org_b.oid in body["errorUserMessage"]
    assert_envelope_error(api_a.post("person", EXAMPLE_PERSON, mo=org_b.oid), 403)
    assert not Person.objects.exists()


def test_missing_unknown_and_revoked_token(api_a, token_a, org_a) -> None:
    anonymous = ApiClient(Client(), None, org_a.oid)
    assert_envelope_error(anonymous.get("person/list"), 401, "Authorization: Bearer")
    wrong = ApiClient(Client(), token_a[1][:-2] + "xx", org_a.oid)
    assert_envelope_error(wrong.get("person/list"), 401, "Токен не найден")
    assert api_a.get("person/list").status_code == 200
    api_token_revoke(token=token_a[0], actor=SYSTEM)
    assert_envelope_error(api_a.get("person/list"), 401, "отозван")
    assert_envelope_error(api_a.post("person", EXAMPLE_PERSON), 401, "отозван")


def test_limit_above_100(api_a) -> None:
    body = assert_envelope_error(api_a.get("person/list", limit=101), 400, "limit", "не больше 100")
    assert body["errors"] == [{"field": "limit", "message": "значение должно быть не больше 100"}]
    assert_envelope_error(api_a.get("person/list", limit="много"), 400, "limit", "целое число")
    assert_envelope_error(api_a.get("person/list", offset=-1), 400, "offset")
    assert api_a.get("person/list", limit=100).status_code == 200


def test_wrong_field_types(api_a) -> None:
    body = assert_envelope_error(
        api_a.post(
            "person", example_person(gender="женский", birthDate=12, documents="паспорт", snils=99999999901)
        ),
        422,
        "«gender»",
        "«birthDate»",
        "«documents»",
        "«snils»: нужна строка",
    )
    fields = {item["field"] for item in body["errors"]}
    assert {"gender", "birthDate", "documents", "snils"} <= fields
    nested = example_person()
    nested["documents"][0]["passDate"] = "вчера"
    assert_envelope_error(api_a.post("person", nested), 422, "«documents[0].passDate»")
    missing = example_person()
    del missing["lastName"]
    assert_envelope_error(api_a.post("person", missing), 422, "«lastName»: обязательное поле")
    assert not Person.objects.exists()


def test_service_rules_keep_nothing_half_saved(api_a) -> None:
    bad_document = example_person()
    bad_document["documents"][0]["documentId"] = 999
    body = assert_envelope_error(api_a.post("person", bad_document), 422, "documents[0].documentId")
    assert body["errors"][0]["field"] == "documents[0].documentId"
    assert not Person.objects.exists()  # the person of a refused request is not kept
    latin = assert_envelope_error(api_a.post("person", example_person(lastName="Ivanova")), 422, "«lastName»")
    assert "Латинские" in latin["errorUserMessage"]


def test_malformed_json(api_a) -> None:
    assert_envelope_error(api_a.post("person", '{"lastName": "Иванова",'), 400, "JSON")
    assert_envelope_error(api_a.post("person", "[1, 2]"), 422)


def test_unknown_person_and_person_not_visible(api_a, org_b) -> None:
    elsewhere = EmploymentCardFactory(organization=org_b, department=org_b.departments.get()).person
    unknown = assert_envelope_error(api_a.get("person", snils=valid_snils(777)), 404, "не найден")
    hidden = assert_envelope_error(api_a.get("person", snils=elsewhere.snils), 404, "не найден")
    # The refusal for a person of another organization reads exactly like the one for nobody.
    assert unknown["errorUserMessage"].replace(valid_snils(777), "X") == hidden["errorUserMessage"].replace(
        elsewhere.snils, "X"
    )
    assert_envelope_error(api_a.get("person/full", oid=elsewhere.oid), 404)
    assert_envelope_error(api_a.get("person", documentId=1), 400, "number")
    assert_envelope_error(api_a.get("person"), 400, "oid, snils или documentId")


def test_unknown_resource_and_method(api_a) -> None:
    assert_envelope_error(api_a.get("person/unknown"), 404, "person/list")
    assert_envelope_error(api_a.call("patch", "person", {}), 405, "PATCH")


@override_settings(FRMR_API_RATE_PER_MINUTE=3)
def test_rate_limit(api_a) -> None:
    statuses = [api_a.get("person/list").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    refused = api_a.get("person/list")
    assert_envelope_error(refused, 429, "не больше 3 в минуту")
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_entity_id_must_be_ascii_digits(api_a, org_a) -> None:
    person = EmploymentCardFactory(organization=org_a, department=org_a.departments.get()).person
    for bad in ("¹", "٣", "1a"):
        body = assert_envelope_error(
            api_a.get("person/prof", snils=person.snils, entityId=bad), 400, "entityId"
        )
        assert bad in body["errorUserMessage"]


def test_body_over_the_upload_limit_is_413_with_the_error_body(api_a, settings) -> None:
    # Issue 13 point 9: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) answered 500.
    body = example_person(birthPlace="x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    for refused_response in (
        api_a.post("person", body),
        api_a.put("person", body, snils=body["snils"]),
        api_a.post("person/prof", {"institutionName": body["birthPlace"]}, snils=body["snils"]),
    ):
        refused = assert_envelope_error(refused_response, 413, "не больше 2,5 МБ")
        assert refused["reasonPhrase"] == "Request Entity Too Large"
    assert not Person.objects.exists()


def test_error_body_is_the_real_registers(api_a, org_b) -> None:
    body = assert_envelope_error(api_a.get("person/list", mo=org_b.oid), 403)
    assert (body["code"], body["reasonPhrase"]) == (403, "Forbidden")
    # `timestamp` as the real register writes date-times: UTC with seven fractional digits.
    assert len(body["timestamp"]) == len("2026-01-22T10:15:00.0000000Z") and body["timestamp"][10] == "T"
