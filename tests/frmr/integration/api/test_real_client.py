"""A client built from the real API's models (real_models.py beside this file) reads and writes every section.

The bodies are shaped as the real register's clients send them (parusrx `Frmr.API.http` for the person,
the real field lists for the sections: every field filled, dates as date-times with seven fractional
digits). Each is written over HTTP, read back, parsed with the real model and compared field by field.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from frmr.audit.actors import SYSTEM
from frmr.demo.loader import load_demo
from frmr.integration.services import api_token_create
from frmr.registry import models as m
from tests.frmr.integration.api import real_models as real
from tests.frmr.integration.api.conftest import EXAMPLE_PERSON, ApiClient

pytestmark = pytest.mark.django_db

SNILS = EXAMPLE_PERSON["snils"]
D = "T00:00:00.0000000Z"

TARGETED = {
    "isTargeted": True,
    "targetedRegionId": 75,
    "dutyMonthsPeriod": 0,
    "dutyYearsPeriod": 3,
    "isTargetTerminated": False,
    "terminationReasonId": None,
    "dutyInfo": "Отработка в ГУЗ «Городская клиническая больница № 1»",
    "oksmId": 643,
    "oksmName": "Россия",
    "unionRepublicId": None,
    "unionRepublicName": None,
    "foreignInstitution": None,
    "hasForeignCert": 0,
    "foreignCertSerial": None,
    "foreignCertNumber": None,
    "foreignCertDate": None,
    "customerContractDate": f"2003-08-15{D}",
    "customerContractNumber": "ЦО-12",
    "customerName": "Министерство здравоохранения Забайкальского края",
    "сustomerInn": "7536095217",  # the real key begins with a Cyrillic «с»
    "customerOgrn": "1087536008801",
    "isMatchEmployingOrganization": True,
    "employingOrganizationName": "ГУЗ «Городская клиническая больница № 1»",
    "employingOrganizationInn": "7534008412",
    "employingOrganizationOgrn": "1027501150366",
    "isDuplicate": False,
    "educPlace": 0,
}

# resource → (the real model, the body, a change for PUT, the record's id key)
SECTIONS: dict[str, tuple[type[BaseModel], dict[str, Any], dict[str, Any], str]] = {
    "prof": (
        real.EducationProf,
        {
            **TARGETED,
            "isStudentEducation": False,
            "educationTypeId": {"code": 1, "name": "Высшее образование"},
            "beginYear": 2003,
            "enrollmentDate": f"2003-09-01{D}",
            "courses": [
                {
                    "enrollmentRate": 1,
                    "structuralUnitStudent": "Лечебный факультет",
                    "enrollmentSpecialtyId": 1001,
                    "learningOutcomeId": 1,
                    "protocolNumber": "ГЭК-7",
                    "dateIssueProtocol": f"2009-06-25{D}",
                    "diplomaQualificationId": 3,
                    "reasonForExpulsionId": None,
                    "dateDeduction": None,
                    "transferDate": None,
                    "dateAcademicLeave": None,
                    "educationalOrgEndCourseId": None,
                    "academicDegreeId": None,
                    "scientificDegreeId": None,
                }
            ],
            "hasDiploma": True,
            "docSerial": "107524",
            "docNumber": "0012345",
            "docDate": f"2009-06-30{D}",
            "institutionId": 1215,
            "institutionName": "Читинская государственная медицинская академия",
            "levelEducationId": 2,
            "formEducation": "очная",
            "educationProgramDurationYears": 6,
            "educationProgramDurationMonths": 0,
            "budget": True,
            "specId": 1001,
            "specName": "Лечебное дело",
            "qualificationId": 3,
            "qualificationName": "Врач",
        },
        {"docNumber": "0054321", "budget": False},
        "profId",
    ),
    "postgraduate": (
        real.EducationPostgraduate,
        {
            **TARGETED,
            "educationStageId": 2,
            "isStudying": False,
            "beginYear": 2009,
            "docSerial": "0175",
            "docNumber": "О-1",
            "docDate": f"2011-08-31{D}",
            "institutionId": 1215,
            "institutionName": "ЧГМА",
            "academicDegreeId": None,
            "academicDegreeName": None,
            "scienceBranchId": None,
            "scienceBranchName": None,
            "specId": 1001,
            "doctSpecId": None,
            "doctSpecName": None,
            "additionSpecId": None,
            "additionSpecName": None,
        },
        {"docNumber": "О-2", "isStudying": True},
        "postgraduateId",
    ),
    "ext": (
        real.EducationExt,
        {
            "profEducationKindId": 1,
            "institutionId": 1215,
            "institutionName": "РМАНПО",
            "hoursCount": 144,
            "theme": "Актуальные вопросы терапии",
            "docSerial": "7727",
            "docNumber": "ПК-1",
            "docDate": f"2021-12-10{D}",
            "specId": 1001,
        },
        {"hoursCount": 72},
        "extId",
    ),
    "cert": (
        real.EducationCert,
        {
            "institutionId": 1215,
            "institutionName": "РМАНПО",
            "certSerial": "0177",
            "certNumber": "0177000000001",
            "examDate": f"2016-12-01{D}",
            "passDate": f"2016-12-05{D}",
            "endDate": f"2021-12-01{D}",
            "specId": 1001,
        },
        {"certSerial": "0178"},
        "certId",
    ),
    "qualification": (
        real.PersonQualification,
        {
            "qualifyCategoryId": 1,
            "beginDate": f"2019-05-20{D}",
            "endDate": f"2024-05-20{D}",
            "specId": 1001,
            "fedPostId": 17,
            "fedPostName": "врач-терапевт",
            "postId": 1001,
            "postName": "Врач-терапевт",
            "endDateExtension": False,
        },
        {"endDateExtension": True},
        "qualificationId",
    ),
    "nomination": (
        real.PersonNomination,
        {"nominationId": 3, "nomNumber": "55", "nomDate": f"2020-06-15{D}"},
        {"nomNumber": "56"},
        "entityId",
    ),
    "organization": (
        real.PersonOrganization,
        {"organizationId": 12, "beginDate": f"2015-03-01{D}", "endDate": None},
        {"endDate": f"2020-03-01{D}"},
        "entityId",
    ),
}
SINGLE: dict[str, tuple[type[BaseModel], dict[str, Any], dict[str, Any], str]] = {
    "common": (
        real.EducationCommon,
        {
            "institution": "МБОУ СОШ № 4 г. Читы",
            "docSerial": "75АБ",
            "docNumber": "0012345",
            "docDate": f"2003-06-20{D}",
            "profCourseSet": [{"docDate": f"2002-05-30{D}", "profCourseId": 5, "profCourseName": "Санитар"}],
        },
        {"docNumber": "0012346"},
        "commonId",
    ),
    "militaryService": (
        real.MilitaryService,
        {"militaryService": True, "beginDate": f"2009-11-01{D}", "endDate": f"2010-11-01{D}"},
        {"militaryService": False, "beginDate": None, "endDate": None},
        "id",
    ),
}


def _card_body(org: m.Organization) -> dict[str, Any]:
    department = org.departments.get()
    return {
        "oid": org.oid,
        "organization": org.name_short,
        "nrPmuDepartId": department.oid,
        "nrPmuDepartName": department.name,
        "nrPmuDepartHospitalSubdivisionId": f"{department.oid}.1",
        "nrPmuDepartHospitalSubdivisionName": "Терапевтическое отделение",
        "roomOid": f"{department.oid}.1.12",
        "roomName": "Кабинет 12",
        "contractNumber": "ТД-17",
        "contractDate": f"2023-01-30{D}",
        "serviceNumber": "0417",
        "fedPositionId": 17,
        "fedPosition": "врач-терапевт",
        "seniority": 14,
        "services": [{"code": 1, "name": "Первичная медико-санитарная помощь"}],
        "positionTypeId": 1,
        "postId": 1001,
        "rate": 1.0,
        "beginDate": f"2023-02-01{D}",
        "endDate": None,
        "endTypeId": None,
        "fireReasonId": None,
        "targeted": True,
        "temporaryDerelictions": [
            {"reasonId": 1, "beginDate": f"2024-03-01{D}", "endDate": f"2024-09-30{D}"}
        ],
        "personalFileNumber": "ЛД-305",
    }


@functools.cache
def _document() -> dict[str, Any]:
    from django.test import Client

    # As served: the same document clients and schemathesis read.
    return json.loads(Client().get("/api/frmr/openapi.json").content)  # type: ignore[no-any-return]


def _conforms(path: str, response: Any) -> None:
    """The answer is what the served document says `GET path` answers (field for field, types, nulls)."""
    document = _document()
    ref = document["paths"][f"/api/frmr/{path}"]["get"]["responses"]["200"]["content"]["application/json"]
    schema = {"$ref": ref["schema"]["$ref"], "components": document["components"]}
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).iter_errors(response.json_body)
    ]
    assert not errors, f"GET {path}: " + "; ".join(errors[:10])


def _same(sent: dict[str, Any], got: dict[str, Any], where: str) -> None:
    for key, value in sent.items():
        assert key in got, f"{where}: no «{key}» in the answer"
        assert got[key] == value, f"{where}.{key}: sent {value!r}, got back {got[key]!r}"


def _check_lifecycle(api: ApiClient, resource: str, spec: tuple[Any, ...], *, single: bool) -> None:
    model, body, change, id_key = spec
    path = f"person/{resource}"
    created = api.post(path, body, snils=SNILS)
    assert created.status_code == 200, created.content.decode()
    entity = real.Entity.model_validate(created.json_body["content"]).entityId
    listed = api.get(path, snils=SNILS)
    _conforms(path, listed)
    content = listed.json_body["content"]
    record = content if single else content[0]
    model.model_validate(record)
    assert record[id_key] == entity
    _same(body, record, resource)

    updated = {**copy.deepcopy(body), **change}
    assert api.put(path, updated, snils=SNILS, entityId=entity).status_code == 200
    one = api.get(path, snils=SNILS, entityId=entity)
    _conforms(path, one)
    after = one.json_body["content"]
    model.model_validate(after)
    _same(updated, after, resource)
    assert api.delete(path, snils=SNILS, entityId=entity).status_code == 200
    _conforms(path, api.get(path, snils=SNILS))


@pytest.fixture
def person_a(api_a):
    assert api_a.post("person", EXAMPLE_PERSON).status_code == 200


def test_person_round_trips_every_real_field(api_a, person_a) -> None:
    answer = api_a.get("person", snils=SNILS)
    _conforms("person", answer)
    content = answer.json_body["content"]
    real.Person.model_validate(content)
    _conforms("person/list", api_a.get("person/list"))
    sent = {k: v for k, v in EXAMPLE_PERSON.items() if k not in ("oid", "phone", "documents", "addresses")}
    _same(sent, content, "person")
    assert content["phone"] == "+7" + EXAMPLE_PERSON["phone"]  # the register keeps phones with +7
    _same(EXAMPLE_PERSON["documents"][0], content["documents"][0], "documents[0]")
    sent_address = EXAMPLE_PERSON["addresses"][0]
    _same({k: v for k, v in sent_address.items() if k != "address"}, content["addresses"][0], "addresses[0]")
    _same(sent_address["address"], content["addresses"][0]["address"], "addresses[0].address")


@pytest.mark.parametrize("resource", list(SECTIONS))
def test_section_round_trips_every_real_field(api_a, person_a, resource) -> None:
    _check_lifecycle(api_a, resource, SECTIONS[resource], single=False)


@pytest.mark.parametrize("resource", list(SINGLE))
def test_single_section_round_trips_every_real_field(api_a, person_a, resource) -> None:
    _check_lifecycle(api_a, resource, SINGLE[resource], single=True)


def test_card_round_trips_every_real_field(api_a, person_a, org_a) -> None:
    body = _card_body(org_a)
    created = api_a.post("person/card", body, snils=SNILS)
    assert created.status_code == 200, created.content.decode()
    entity = created.json_body["content"]["entityId"]
    listed = api_a.get("person/card", snils=SNILS)
    _conforms("person/card", listed)
    [card] = listed.json_body["content"]
    real.PersonCard.model_validate(card)
    assert card["id"] == entity
    _same(body, card, "card")
    dismissal = {**body, "endDate": f"2025-06-30{D}", "fireReasonId": 1, "endTypeId": 2, "seniority": 15}
    assert api_a.put("person/card", dismissal, snils=SNILS, entityId=entity).status_code == 200
    one = api_a.get("person/card", snils=SNILS, entityId=entity)
    _conforms("person/card", one)
    after = one.json_body["content"]
    _same(dismissal, after, "card after PUT")


def test_prof_by_spec_id_alone_is_named_by_the_dictionary(api_a, person_a) -> None:
    body = {k: v for k, v in SECTIONS["prof"][1].items() if k != "specName"}
    assert api_a.post("person/prof", body, snils=SNILS).status_code == 200
    [record] = api_a.get("person/prof", snils=SNILS).json_body["content"]
    assert record["specId"] == 1001 and record["specName"]


def test_card_is_read_by_oid_and_surname_without_mo(api_a, person_a, org_a) -> None:
    assert api_a.post("person/card", _card_body(org_a), snils=SNILS).status_code == 200
    oid = api_a.get("person", snils=SNILS).json_body["content"]["oid"]
    without_mo = ApiClient(api_a.client, api_a.raw, None)  # type: ignore[arg-type]
    found = without_mo.get("person/card", oid=oid, lastName="иванова")
    assert found.status_code == 200 and len(found.json_body["content"]) == 1
    wrong = without_mo.get("person/card", oid=oid, lastName="Петрова")
    real.ProblemDetails.model_validate(wrong.json_body)
    assert wrong.status_code == 404


def test_errors_parse_as_the_real_problem_details(api_a, org_b) -> None:
    for response in (
        api_a.get("person", snils="99999999902"),
        api_a.get("person/list", mo=org_b.oid),
        api_a.post("person", {"lastName": "Иванова"}),
        ApiClient(api_a.client, None, api_a.mo).get("person/list"),
    ):
        problem = real.ProblemDetails.model_validate(response.json_body)
        assert problem.code == response.status_code and problem.message


def test_full_file_of_a_demo_worker_validates_against_the_real_models(settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    from frmr.nsi.services import dictionaries_load

    dictionaries_load()
    load_demo()
    card = (
        m.EmploymentCard.objects.filter(end_date__isnull=True, person__accreditations__isnull=False)
        .select_related("organization")
        .first()
    )
    assert card is not None
    person, org = card.person, card.organization
    _, raw = api_token_create(organization=org, actor=SYSTEM, name="МИС")
    from django.test import Client

    response = ApiClient(Client(), raw, org.oid).get("person/full", snils=person.snils)
    assert response.status_code == 200, response.content.decode()
    _conforms("person/full", response)
    accreditation = ApiClient(Client(), raw, org.oid).get("person/accreditation", snils=person.snils)
    _conforms("person/accreditation", accreditation)
    content = response.json_body["content"]
    # The demo's institutions are in the dictionary of institutions: every record carries its code.
    for key in ("educationProf", "personExt", "educationCert"):
        assert all(item["institutionId"] is not None for item in content[key]), key
    full = real.FullPerson.model_validate(content)
    assert full.personCard and all(c.oid == org.oid for c in full.personCard)
    assert full.personAccreditation is not None and full.personAccreditation.accreditationProcedures
    assert full.educationProf is not None
