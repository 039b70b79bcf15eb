"""Searches: each parameter, keyset paging through next/previous links, _include, and fixed query
counts per page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from frmr.integration.fhir import systems
from frmr.registry import models as m
from tests.factories import EmploymentCardFactory, PersonFactory, ProfessionalEducationFactory
from tests.frmr.integration.fhir.conftest import Fhir, Staff, outcome

pytestmark = pytest.mark.django_db


def ids(bundle: dict[str, Any], mode: str = "match") -> list[str]:
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == mode]


def link(bundle: dict[str, Any], relation: str) -> str | None:
    return next((item["url"] for item in bundle["link"] if item["relation"] == relation), None)


def test_practitioner_search_sees_only_own_organizations_persons(fhir_a: Fhir, staff: Staff) -> None:
    found = ids(fhir_a.get("Practitioner").body)
    assert found == [staff.nina.oid, staff.oleg.oid]  # Павлов works in B only


def test_practitioner_by_identifier(fhir_a: Fhir, staff: Staff) -> None:
    snils = staff.nina.snils
    assert ids(fhir_a.get("Practitioner", identifier=f"{systems.SNILS}|{snils}").body) == [staff.nina.oid]
    dashed = f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"
    assert ids(fhir_a.get("Practitioner", identifier=dashed).body) == [staff.nina.oid]
    by_number = fhir_a.get("Practitioner", identifier=f"{systems.REGISTER_NUMBER}|{staff.oleg.oid}")
    assert ids(by_number.body) == [staff.oleg.oid]
    # Another organization's worker is not found even by the exact СНИЛС.
    assert ids(fhir_a.get("Practitioner", identifier=staff.pavel.snils).body) == []
    assert ids(fhir_a.get("Practitioner", identifier=f"urn:other|{snils}").body) == []


def test_practitioner_by_name_and_active(fhir_a: Fhir, staff: Staff) -> None:
    assert ids(fhir_a.get("Practitioner", name="иван").body) == [staff.nina.oid]
    assert ids(fhir_a.get("Practitioner", name="Петр").body) == [staff.nina.oid]  # the patronymic
    assert ids(fhir_a.get("Practitioner", **{"name:contains": "рло"}).body) == [staff.oleg.oid]
    assert ids(fhir_a.get("Practitioner", family="Орл").body) == [staff.oleg.oid]
    assert ids(fhir_a.get("Practitioner", name="Павл").body) == []
    m.Person.objects.filter(pk=staff.oleg.pk).update(death_date=datetime.date(2024, 1, 1))
    assert ids(fhir_a.get("Practitioner", active="false").body) == [staff.oleg.oid]
    assert ids(fhir_a.get("Practitioner", active="true").body) == [staff.nina.oid]


def test_last_updated(fhir_a: Fhir, staff: Staff) -> None:
    past = timezone.now() - datetime.timedelta(days=2)
    m.Person.objects.update(updated_at=past)
    m.ProfessionalEducation.objects.update(updated_at=past)
    m.SpecialistCertificate.objects.update(updated_at=past)
    m.AccreditationRecord.objects.update(updated_at=past)
    m.EmploymentCard.objects.update(updated_at=past)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert ids(fhir_a.get("Practitioner", _lastUpdated=f"ge{yesterday}").body) == []
    # A changed diploma makes its holder's Practitioner newer: the resource shows the diploma.
    diploma = m.ProfessionalEducation.objects.get(person=staff.nina)
    diploma.save()
    assert ids(fhir_a.get("Practitioner", _lastUpdated=f"ge{yesterday}").body) == [staff.nina.oid]
    assert ids(fhir_a.get("Practitioner", _lastUpdated=f"lt{yesterday}").body) == [staff.oleg.oid]
    staff.oleg_card.save()
    assert ids(fhir_a.get("PractitionerRole", _lastUpdated=f"gt{yesterday}").body) == [
        str(staff.oleg_card.pk)
    ]
    two_days = past.date().isoformat()
    assert ids(fhir_a.get("PractitionerRole", _lastUpdated=two_days).body) == [str(staff.nina_card.pk)]
    instant = fhir_a.get(f"PractitionerRole/{staff.oleg_card.pk}").body["meta"]["lastUpdated"]
    assert ids(fhir_a.get("PractitionerRole", _lastUpdated=f"le{instant}").body) == [
        str(staff.nina_card.pk),
        str(staff.oleg_card.pk),
    ]
    outcome(fhir_a.get("Practitioner", _lastUpdated="вчера"), 400, "invalid", "_lastUpdated")


def test_roles_of_own_organization_active_and_practitioner(fhir_a: Fhir, staff: Staff, org_a) -> None:
    both = [str(staff.nina_card.pk), str(staff.oleg_card.pk)]
    assert ids(fhir_a.get("PractitionerRole").body) == both
    assert ids(fhir_a.get("PractitionerRole", organization=f"Organization/{org_a.oid}").body) == both
    assert ids(fhir_a.get("PractitionerRole", organization=org_a.oid, active="true").body) == both[:1]
    assert ids(fhir_a.get("PractitionerRole", active="false").body) == both[1:]
    found = fhir_a.get("PractitionerRole", practitioner=f"Practitioner/{staff.oleg.oid}")
    assert ids(found.body) == both[1:]


def test_include_practitioner(fhir_a: Fhir, staff: Staff) -> None:
    bundle = fhir_a.get("PractitionerRole", _include="PractitionerRole:practitioner").body
    assert ids(bundle) == [str(staff.nina_card.pk), str(staff.oleg_card.pk)]
    assert sorted(ids(bundle, "include")) == sorted([staff.nina.oid, staff.oleg.oid])
    included = [e for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert all(e["fullUrl"].endswith(f"/fhir/Practitioner/{e['resource']['id']}") for e in included)
    outcome(fhir_a.get("PractitionerRole", _include="PractitionerRole:location"), 400, "invalid", "_include")
    outcome(fhir_a.get("Practitioner", _include="PractitionerRole:practitioner"), 400, "invalid")


def test_organization_and_location_search(fhir_a: Fhir, org_a, org_b) -> None:
    assert ids(fhir_a.get("Organization").body) == [org_a.oid, org_b.oid]
    assert ids(fhir_a.get("Organization", identifier=f"urn:ietf:rfc:3986|urn:oid:{org_b.oid}").body) == [
        org_b.oid
    ]
    assert ids(fhir_a.get("Organization", identifier=f"{systems.OGRN}|{org_a.ogrn}").body) == [org_a.oid]
    assert ids(fhir_a.get("Organization", identifier=org_b.inn).body) == [org_b.oid]
    assert ids(fhir_a.get("Organization", **{"name:contains": "поликлиника"}).body) == [org_b.oid]
    m.Organization.objects.filter(pk=org_b.pk).update(is_active=False)
    assert ids(fhir_a.get("Organization", active="true").body) == [org_a.oid]
    dep_b = org_b.departments.get()
    assert ids(fhir_a.get("Location", organization=f"Organization/{org_b.oid}").body) == [str(dep_b.pk)]
    assert ids(fhir_a.get("Location", identifier=f"urn:oid:{dep_b.oid}").body) == [str(dep_b.pk)]
    assert ids(fhir_a.get("Location", status="inactive").body) == []


@pytest.mark.parametrize(
    ("path", "query", "fragment"),
    [
        ("Practitioner", {"birthdate": "1985"}, "birthdate"),
        ("Practitioner", {"_count": "0"}, "_count"),
        ("Practitioner", {"_count": "много"}, "_count"),
        ("Practitioner", {"active": "да"}, "active"),
        ("Practitioner", {"_cursor": "не-курсор"}, "_cursor"),
        ("Practitioner", {"identifier": "urn:oid:1.2.643.100.3|"}, "identifier"),
        ("PractitionerRole", {"practitioner": "Patient/1"}, "practitioner"),
        ("Location", {"status": "suspended"}, "status"),
        ("Organization/_history", {"_since": "давно"}, "_since"),
        ("Organization/_history", {"name": "x"}, "name"),
    ],
)
def test_bad_parameters_are_400(fhir_a: Fhir, path: str, query: dict[str, str], fragment: str) -> None:
    outcome(fhir_a.get(path, **query), 400, "invalid", fragment)


def test_format(fhir_a: Fhir, staff: Staff) -> None:
    assert fhir_a.get("Practitioner", _format="json").status_code == 200
    outcome(fhir_a.get("Practitioner", _format="xml"), 406, "not-supported", "xml")


@pytest.fixture
def crowd(staff: Staff, org_a: m.Organization) -> list[m.EmploymentCard]:
    """Ten more cards in A (each with a diploma), so that pages of 3 make four pages of roles."""
    cards = [staff.nina_card, staff.oleg_card]
    for n in range(10):
        person = PersonFactory(last_name=f"Сидоров{'а' * n}")
        ProfessionalEducationFactory(person=person)
        cards.append(
            EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
        )
    return cards


def test_paging_forward_and_back(fhir_a: Fhir, crowd: list[m.EmploymentCard]) -> None:
    expected = [str(card.pk) for card in sorted(crowd, key=lambda card: card.pk)]
    bundle = fhir_a.get("PractitionerRole", _count="5").body
    assert link(bundle, "previous") is None and "_count=5" in link(bundle, "self")
    pages = [ids(bundle)]
    while (url := link(bundle, "next")) is not None:
        assert "_count=5" in url and "/fhir/PractitionerRole?" in url
        bundle = fhir_a.get(url).body
        pages.append(ids(bundle))
    assert pages == [expected[:5], expected[5:10], expected[10:]]
    back = []
    while (url := link(bundle, "previous")) is not None:
        bundle = fhir_a.get(url).body
        back.append(ids(bundle))
    assert back == [expected[5:10], expected[:5]]
    assert link(bundle, "next") is not None


def test_paging_keeps_filters(fhir_a: Fhir, crowd: list[m.EmploymentCard]) -> None:
    bundle = fhir_a.get("Practitioner", name="Сидоров", _count="4").body
    seen = ids(bundle)
    while (url := link(bundle, "next")) is not None:
        assert "name=" in url
        bundle = fhir_a.get(url).body
        seen += ids(bundle)
    assert len(seen) == len(set(seen)) == 10


def test_count_is_capped(fhir_a: Fhir, crowd: list[m.EmploymentCard]) -> None:
    assert len(ids(fhir_a.get("PractitionerRole", _count="100000").body)) == 12


@pytest.mark.parametrize("count", ["2", "12"])
def test_queries_per_page_are_fixed(
    fhir_a: Fhir, crowd: list[m.EmploymentCard], django_assert_num_queries: Any, count: str
) -> None:
    fhir_a.get("metadata")  # nothing cached by the first request changes what is counted
    fhir_a.get("Practitioner", _count="1")
    # The token's rate limit (1); then the page (1) and the specialty names of its positions (1).
    with django_assert_num_queries(3):
        assert fhir_a.get("PractitionerRole", _count=count).status_code == 200
    # _include: four more for the practitioners, their diplomas, certificates and accreditations.
    with django_assert_num_queries(7):
        fhir_a.get("PractitionerRole", _count=count, _include="PractitionerRole:practitioner")
    # Practitioner: the page, then the same three sections.
    with django_assert_num_queries(5):
        assert len(ids(fhir_a.get("Practitioner", _count=count).body)) == int(count)
    with django_assert_num_queries(2):
        fhir_a.get("Organization", _count=count)
    with django_assert_num_queries(2):
        fhir_a.get("Location", _count=count)
