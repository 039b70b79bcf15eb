"""`GET person`'s one-statement read (frmr/integration/api/reads.py) gives what the ORM form gives."""

from __future__ import annotations

import datetime

import pytest

from frmr.integration.api import mapping as mp
from frmr.integration.api.core import ApiError
from frmr.integration.api.lookup import find_person, find_person_with_contacts, person_queryset_with_contacts
from frmr.integration.api.schemas import PersonQuery
from frmr.nsi import oids
from frmr.registry.models import Person
from tests.factories import (
    AddressFactory,
    EmploymentCardFactory,
    IdentityDocumentFactory,
    PersonFactory,
    dict_entry,
)

pytestmark = pytest.mark.django_db


def _orm(org, **params) -> dict:
    q = PersonQuery(mo=org.oid, **params)
    return mp.person_out(find_person(org, q, shape=person_queryset_with_contacts))


def _one_statement(org, **params) -> dict:
    return find_person_with_contacts(org, PersonQuery(mo=org.oid, **params))


def test_same_content_as_the_orm_read(org_a, django_assert_num_queries) -> None:
    card = EmploymentCardFactory(organization=org_a, department=org_a.departments.get())
    person = card.person
    Person.objects.filter(pk=person.pk).update(
        death_date=datetime.date(2024, 5, 6),
        email="a@b.ru",
        mr=True,
        student=False,
        oksm_code="643",
        oksm_name="Россия",
        military_relation=2,
        is_disabled=True,
        disabled_group=1,
        disabled_group_name="I",
        disabled_date=datetime.date(2020, 1, 2),
    )
    for year in (2001, 2015, 2008):
        IdentityDocumentFactory(person=person, issue_date=datetime.date(year, 1, 2), series="")
    AddressFactory(person=person, registration_date=None, house="", flat="")
    AddressFactory(
        person=person,
        region=dict_entry(oids.REGIONS, "05", "Республика Дагестан"),
        prefix_area="г",
        gar_guid="x",
    )
    AddressFactory(person=person, uid="")  # written in bulk: no UUID of its own
    with django_assert_num_queries(1):
        content = _one_statement(org_a, snils=person.snils)
    assert content == _orm(org_a, snils=person.snils)
    assert [d["passDate"][:4] for d in content["documents"]] == ["2015", "2008", "2001"]
    assert content["deathDate"] == "2024-05-06T00:00:00.0000000Z"
    assert content["addresses"][1]["address"]["region"] == 5
    assert content["addresses"][1]["address"]["prefixArea"] == "г" and content["addresses"][2]["addressId"]
    assert content["mr"] is True and content["student"] is False and content["covid19"] is None
    assert content["oksmId"] == {"code": 643, "name": "Россия"} and content["disabledGroupName"] == "I"
    assert _one_statement(org_a, oid=f"  {person.oid} ") == content
    assert _one_statement(org_a, oid=person.oid, snils=person.snils) == content


def test_no_documents_no_addresses_no_citizenship(org_a) -> None:
    person = PersonFactory(citizenship=None, created_by_organization=org_a)  # entered by A, no card
    content = _one_statement(org_a, snils=person.snils)
    assert content == _orm(org_a, snils=person.snils)
    assert content["citizenShipId"] is None and content["documents"] == [] == content["addresses"]


def test_scope_and_messages_as_the_orm_read(org_a, org_b) -> None:
    elsewhere = EmploymentCardFactory(organization=org_b, department=org_b.departments.get()).person
    mine = EmploymentCardFactory(organization=org_a, department=org_a.departments.get()).person
    for params in (
        {"snils": elsewhere.snils},
        {"oid": elsewhere.oid},
        {"oid": mine.oid, "snils": elsewhere.snils},  # both must fit one person
        {"oid": "  ", "snils": mine.snils},  # a blank oid still filters, as in the ORM read
    ):
        with pytest.raises(ApiError) as orm:
            _orm(org_a, **params)
        with pytest.raises(ApiError) as fast:
            _one_statement(org_a, **params)
        assert (
            (fast.value.status, fast.value.message)
            == (orm.value.status, orm.value.message)
            == (
                404,
                orm.value.message,
            )
        )
