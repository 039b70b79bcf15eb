"""Fixtures of the FHIR directory's tests: dictionaries, tokens of two organizations, a small staff,
and a client that checks every answer against the FHIR models of `fhir.resources`."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from frmr.audit.actors import SYSTEM
from frmr.integration.services import api_token_create
from frmr.nsi import oids
from frmr.nsi.services import dictionaries_load
from frmr.registry import models as m
from tests.factories import (
    AccreditationRecordFactory,
    EmploymentCardFactory,
    PersonFactory,
    ProfessionalEducationFactory,
    SpecialistCertificateFactory,
    dict_entry,
)

FHIR_JSON = "application/fhir+json"


def validated(body: dict[str, Any]) -> dict[str, Any]:
    """`body` parsed by the FHIR model of its resourceType (R4B: the directory's resources and Bundle are
    the same in R4 and R4B, docs/fhir.md); a non-conformant body fails the test."""
    model = get_fhir_model_class(body["resourceType"])
    model.model_validate(body)
    return body


class Fhir:
    """GET /fhir/… with a bearer token; the answer's JSON in `response.body`, validated."""

    def __init__(self, raw: str | None) -> None:
        self.client = Client()
        self.raw = raw

    def get(self, path: str, *, raw: str | None = "same", **query: Any) -> Any:
        token = self.raw if raw == "same" else raw
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        url = path if path.startswith("http") else f"/fhir/{path}"
        response = self.client.get(url, query or None, headers=headers)
        assert response["Content-Type"].startswith(FHIR_JSON), response.content[:200]
        response.body = validated(json.loads(response.content))
        return response


def outcome(response: Any, status: int, code: str, *fragments: str) -> str:
    assert response.status_code == status, response.body
    assert response.body["resourceType"] == "OperationOutcome"
    issue = response.body["issue"][0]
    assert issue["severity"] == "error" and issue["code"] == code
    for fragment in fragments:
        assert fragment in issue["diagnostics"]
    return str(issue["diagnostics"])


@pytest.fixture
def dicts(db: None) -> None:
    dictionaries_load()


@pytest.fixture
def fhir_a(dicts: None, org_a: m.Organization) -> Fhir:
    return Fhir(api_token_create(organization=org_a, actor=SYSTEM, name="МИС больницы")[1])


@pytest.fixture
def fhir_b(dicts: None, org_b: m.Organization) -> Fhir:
    return Fhir(api_token_create(organization=org_b, actor=SYSTEM, name="МИС поликлиники")[1])


@dataclass
class Staff:
    nina: m.Person  # a doctor of A with a diploma, a certificate and an accreditation
    oleg: m.Person  # dismissed from A
    pavel: m.Person  # works in B only
    nina_card: m.EmploymentCard
    oleg_card: m.EmploymentCard
    pavel_card: m.EmploymentCard


@pytest.fixture
def staff(dicts: None, org_a: m.Organization, org_b: m.Organization) -> Staff:
    head_doctor = dict_entry(oids.POSITIONS, "1001")  # admits specialty 1051 (positions.csv)
    specialty = dict_entry(oids.SPECIALTIES, "1051")
    nina = PersonFactory(
        last_name="Иванова", first_name="Нина", patronymic="Петровна", gender=m.Gender.FEMALE
    )
    ProfessionalEducationFactory(
        person=nina, doc_series="ВСГ", specialty=dict_entry(oids.SPECIALTIES, "1001")
    )
    SpecialistCertificateFactory(person=nina, specialty=specialty, number="0177001")
    AccreditationRecordFactory(person=nina, specialty=specialty, registry_number="7722 000000001")
    AccreditationRecordFactory(
        person=nina, specialty=specialty, registry_number="7722 000000002", passed=False
    )
    oleg = PersonFactory(last_name="Орлов", first_name="Олег", patronymic="", gender=m.Gender.MALE)
    pavel = PersonFactory(last_name="Павлов", first_name="Павел", gender=m.Gender.MALE)
    dep_a = org_a.departments.get()
    nina_card = EmploymentCardFactory(person=nina, organization=org_a, department=dep_a, position=head_doctor)
    oleg_card = EmploymentCardFactory(
        person=oleg,
        organization=org_a,
        department=dep_a,
        end_date=datetime.date(2023, 1, 31),
        end_reason=dict_entry(oids.DISMISSAL_REASONS, "1"),
    )
    pavel_card = EmploymentCardFactory(person=pavel, organization=org_b, department=org_b.departments.get())
    return Staff(nina, oleg, pavel, nina_card, oleg_card, pavel_card)
