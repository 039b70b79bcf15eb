"""A fixed number of queries per request, however many persons or records there are."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frmr.integration.selectors import api_token_recognize
from tests.factories import (
    AddressFactory,
    EmploymentCardFactory,
    IdentityDocumentFactory,
    ProfessionalEducationFactory,
)

pytestmark = pytest.mark.django_db


def _persons(org, n: int) -> None:
    for _ in range(n):
        person = EmploymentCardFactory(organization=org, department=org.departments.get()).person
        IdentityDocumentFactory(person=person)
        AddressFactory(person=person)


def _count(api, resource: str, **params) -> int:
    api.get(resource, **params)  # the first request writes last_used_at once
    with CaptureQueriesContext(connection) as captured:
        response = api.get(resource, **params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_person_list_queries_do_not_grow(api_a, org_a, django_assert_num_queries) -> None:
    _persons(org_a, 5)
    small = _count(api_a, "person/list", limit=100)
    _persons(org_a, 45)
    # rate counter (which also checks the token is active) + count + page + documents + addresses;
    # the token itself is recognized from the process's memory
    with django_assert_num_queries(small):
        response = api_a.get("person/list", limit=100)
    assert len(response.json_body["content"]) == 50
    assert small == 5


def test_person_full_queries_do_not_grow(api_a, org_a, django_assert_num_queries) -> None:
    _persons(org_a, 1)
    person = org_a.cards.get().person
    few = _count(api_a, "person/full", snils=person.snils)
    for _ in range(5):
        ProfessionalEducationFactory(person=person)
        IdentityDocumentFactory(person=person)
        EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    with django_assert_num_queries(few):
        api_a.get("person/full", snils=person.snils)


def test_get_person_by_snils_queries(api_a, org_a, django_assert_num_queries) -> None:
    _persons(org_a, 1)
    person = org_a.cards.get().person
    api_a.get("person", snils=person.snils)
    # The rate counter with the token's revocation check, and the person with documents and addresses:
    # one statement on PostgreSQL (TokenAuth.read_ahead), two elsewhere.
    statements = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(statements) as captured:
        response = api_a.get("person", snils=person.snils)
    assert response.status_code == 200 and len(response.json_body["content"]["documents"]) == 1
    assert "revoked_at IS NULL" in captured.captured_queries[0]["sql"]
    # The use is recorded at most once a minute per process: then one more statement.
    remembered = api_token_recognize(raw=api_a.raw)
    remembered.last_used_at = timezone.now() - datetime.timedelta(minutes=2)
    with django_assert_num_queries(statements + 1):
        api_a.get("person", snils=person.snils)


@override_settings(FRMR_API_TOKEN_CACHE_SECONDS=0)
def test_without_the_token_memory_one_more_query(api_a, org_a, django_assert_num_queries) -> None:
    _persons(org_a, 1)
    person = org_a.cards.get().person
    api_a.get("person", snils=person.snils)
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        api_a.get("person", snils=person.snils)


def test_other_reads_of_person_are_not_read_ahead(api_a, org_a, django_assert_num_queries) -> None:
    _persons(org_a, 1)
    person = org_a.cards.get().person
    document = person.documents.get()
    api_a.get("person", snils=person.snils)
    # By identity document: the ORM read, after the rate counter (person, documents, addresses).
    with django_assert_num_queries(4):
        response = api_a.get("person", documentId=1, serial=document.series, number=document.number)
    assert response.json_body["content"]["oid"] == person.oid


def test_get_person_keeps_the_api_security_scheme() -> None:
    from frmr.integration.api import api

    paths = api.get_openapi_schema()["paths"]
    assert paths["/api/frmr/person"]["get"]["security"] == paths["/api/frmr/person/list"]["get"]["security"]
    assert paths["/api/frmr/person"]["get"]["security"] == [{"TokenAuth": []}]
