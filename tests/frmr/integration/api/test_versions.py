"""ETag and If-Match (issue 13, point 6): a PUT based on an old GET is refused with 412; a PUT without
If-Match is applied as before, for clients written for the real register."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frmr.registry.models import Person
from tests.frmr.integration.api.conftest import (
    EXAMPLE_PERSON,
    ApiClient,
    assert_envelope_error,
    example_person,
)
from tests.frmr.integration.api.test_sections import BODIES, SNILS

pytestmark = pytest.mark.django_db


def put(api: ApiClient, resource: str, body: Any, if_match: str | None = None, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {api.raw}"}
    if if_match is not None:
        headers["If-Match"] = if_match
    response = api.client.put(
        api.url(resource, params),
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        headers=headers,
    )
    response.json_body = json.loads(response.content)
    return response


@pytest.fixture
def person_a(api_a: ApiClient) -> None:
    assert api_a.post("person", EXAMPLE_PERSON).status_code == 200


def test_get_person_carries_the_version_as_etag_without_an_extra_query(api_a, person_a) -> None:
    api_a.get("person", snils=SNILS)  # warm the token cache, as a client's second request finds it
    with CaptureQueriesContext(connection) as queries:
        response = api_a.get("person", snils=SNILS)
    assert response.status_code == 200 and response["ETag"] == '"1"'
    assert "version" not in response.json_body["content"]
    baseline = len(queries)
    # The other way of naming a person (by document) gives the same tag.
    by_document = api_a.get("person", documentId=1, serial="7609", number="456987")
    assert by_document["ETag"] == '"1"'
    Person.objects.filter(snils=SNILS).update(version=7)
    with CaptureQueriesContext(connection) as queries:
        assert api_a.get("person", snils=SNILS)["ETag"] == '"7"'
    assert len(queries) == baseline


def test_put_with_a_stale_if_match_is_refused_and_writes_nothing(api_a, person_a) -> None:
    tag = api_a.get("person", snils=SNILS)["ETag"]
    first = put(api_a, "person", example_person(phone="+7 914 000-11-22"), if_match=tag, snils=SNILS)
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = put(api_a, "person", example_person(birthPlace="г. Омск"), if_match=tag, snils=SNILS)
    assert_envelope_error(stale, 412, "изменена после того, как вы её получили", "версия 2", "If-Match — 1")
    assert stale["ETag"] == '"2"'
    person = Person.objects.get(snils=SNILS)
    assert (person.phone, person.birth_place, person.version) == ("+79140001122", "", 2)
    # With the new tag the same PUT goes through.
    again = put(api_a, "person", example_person(birthPlace="г. Омск"), if_match='"2"', snils=SNILS)
    assert again.status_code == 200 and again["ETag"] == '"3"'


def test_put_without_if_match_is_the_last_writer_as_before(api_a, person_a) -> None:
    assert put(api_a, "person", example_person(phone="+7 914 000-11-22"), snils=SNILS).status_code == 200
    assert put(api_a, "person", example_person(birthPlace="г. Омск"), snils=SNILS).status_code == 200
    assert put(api_a, "person", example_person(), if_match="*", snils=SNILS).status_code == 200


def test_a_malformed_if_match_is_a_bad_request(api_a, person_a) -> None:
    response = put(api_a, "person", example_person(), if_match="version-1", snils=SNILS)
    assert_envelope_error(response, 400, "If-Match")
    assert put(api_a, "person", example_person(), if_match='W/"1"', snils=SNILS).status_code == 200


def test_sections_and_cards_carry_etags_and_honour_if_match(api_a, person_a, org_a) -> None:
    body, change = BODIES["prof"]
    entity = api_a.post("person/prof", body, snils=SNILS).json_body["content"]["entityId"]
    got = api_a.get("person/prof", snils=SNILS, entityId=entity)
    assert got["ETag"] == '"1"'
    assert (
        put(api_a, "person/prof", {**body, **change}, if_match='"1"', snils=SNILS, entityId=entity)["ETag"]
        == '"2"'
    )
    stale = put(api_a, "person/prof", body, if_match='"1"', snils=SNILS, entityId=entity)
    assert_envelope_error(stale, 412, "версия 2")

    hire = {
        "oid": org_a.oid,
        "nrPmuDepartId": org_a.departments.get().oid,
        "postId": 1001,
        "positionTypeId": 1,
        "rate": 1,
        "beginDate": "2023-02-01",
    }
    card = api_a.post("person/card", hire, snils=SNILS).json_body["content"]["entityId"]
    assert api_a.get("person/card", snils=SNILS, entityId=card)["ETag"] == '"1"'
    changed = put(
        api_a, "person/card", {**hire, "contractNumber": "ТД-1"}, if_match='"1"', snils=SNILS, entityId=card
    )
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    stale_card = put(api_a, "person/card", {**hire, "rate": 0.5}, if_match='"1"', snils=SNILS, entityId=card)
    assert_envelope_error(stale_card, 412)
