"""`<Type>/_history`: changed resources since a moment, newest first, paged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from frmr.registry import models as m
from tests.factories import DepartmentFactory, EmploymentCardFactory
from tests.frmr.integration.fhir.conftest import Fhir, Staff

pytestmark = pytest.mark.django_db


def entries(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    assert bundle["type"] == "history"
    return [(e["request"]["method"], e["request"]["url"]) for e in bundle.get("entry", [])]


def _age_everything(days: int) -> datetime.datetime:
    past = timezone.now() - datetime.timedelta(days=days)
    for model in (m.Person, m.ProfessionalEducation, m.SpecialistCertificate, m.AccreditationRecord):
        model.objects.update(updated_at=past)
    m.EmploymentCard.objects.update(updated_at=past)
    m.Department.objects.update(updated_at=past)
    return past


def test_role_history_since(fhir_a: Fhir, staff: Staff, org_a) -> None:
    _age_everything(3)
    since = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert entries(fhir_a.get("PractitionerRole/_history", _since=since).body) == []
    staff.oleg_card.version = 2
    staff.oleg_card.save()
    new = EmploymentCardFactory(person=staff.nina, organization=org_a, department=org_a.departments.get())
    bundle = fhir_a.get("PractitionerRole/_history", _since=since).body
    # Newest first; a card in its first version was created, a later version updated it.
    assert entries(bundle) == [
        ("POST", f"PractitionerRole/{new.pk}"),
        ("PUT", f"PractitionerRole/{staff.oleg_card.pk}"),
    ]
    first = bundle["entry"][0]
    assert first["response"]["status"] == "201 Created"
    assert first["response"]["lastModified"] == first["resource"]["meta"]["lastUpdated"]
    # Without _since: everything the token sees (B's card is not among it).
    everything = entries(fhir_a.get("PractitionerRole/_history").body)
    assert {url for _, url in everything} == {
        f"PractitionerRole/{card.pk}" for card in (new, staff.oleg_card, staff.nina_card)
    }


def test_practitioner_history_follows_its_qualifications(fhir_a: Fhir, staff: Staff) -> None:
    _age_everything(3)
    since = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    m.SpecialistCertificate.objects.get(person=staff.nina).save()
    bundle = fhir_a.get("Practitioner/_history", _since=since).body
    assert entries(bundle) == [("POST", f"Practitioner/{staff.nina.oid}")]
    assert bundle["entry"][0]["resource"]["qualification"]


def test_history_pages_newest_first(fhir_a: Fhir, org_a) -> None:
    past = _age_everything(3)
    for n in range(5):
        DepartmentFactory(organization=org_a, name=f"Отделение {n}")
    # Equal times are ordered by id: the cursor carries both.
    m.Department.objects.filter(name__startswith="Отделение").update(
        updated_at=past + datetime.timedelta(days=2)
    )
    since = (past + datetime.timedelta(days=1)).date().isoformat()
    bundle = fhir_a.get("Location/_history", _since=since, _count="2").body
    seen = [url for _, url in entries(bundle)]
    while (url := next((x["url"] for x in bundle["link"] if x["relation"] == "next"), None)) is not None:
        bundle = fhir_a.get(url).body
        seen += [url for _, url in entries(bundle)]
    ids = [int(url.split("/")[1]) for url in seen]
    assert len(ids) == 5 and ids == sorted(ids, reverse=True)
