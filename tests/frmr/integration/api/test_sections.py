from __future__ import annotations

import datetime

import pytest

from frmr.audit.models import AuditEntry
from frmr.registry.models import EmploymentCard
from tests.factories import AccreditationRecordFactory
from tests.frmr.integration.api.conftest import EXAMPLE_PERSON, assert_envelope_error

pytestmark = pytest.mark.django_db

SNILS = "99999999901"

BODIES = {
    "prof": (
        {
            "educationTypeId": {"code": 1, "name": "Высшее образование"},
            "institutionName": "Читинская государственная медицинская академия",
            "beginYear": 2003,
            "docSerial": "107524",
            "docNumber": "0012345",
            "docDate": "2009-06-30T00:00:00Z",
            "specName": "Лечебное дело",
            "specId": 1001,
            "qualificationName": "Врач",
        },
        {"docNumber": "0054321"},
    ),
    "postgraduate": (
        {
            "educationStageId": 2,
            "institutionName": "ЧГМА",
            "beginDate": "2009-09-01",
            "endDate": "2011-08-31",
            "docNumber": "О-1",
            "docDate": "2011-08-31",
            "specId": "1001",
        },
        {"docNumber": "О-2"},
    ),
    "ext": (
        {
            "profEducationKindId": 1,
            "institutionId": 1215,
            "institutionName": "РМАНПО",
            "hoursCount": 144,
            "theme": "Актуальные вопросы терапии",
            "docNumber": "ПК-1",
            "docDate": "2021-12-10",
            "specId": 1001,
        },
        {"hoursCount": 72},
    ),
    "cert": (
        {
            "institutionId": 1215,
            "institutionName": "РМАНПО",
            "certNumber": "0177000000001",
            "examDate": "2016-12-01",
            "endDate": "2021-12-01",
            "specId": 1001,
        },
        {"certSerial": "0177"},
    ),
    "qualification": (
        {"qualifyCategoryId": 1, "beginDate": "2019-05-20", "endDate": "2024-05-20", "specId": 1001},
        {"orderNumber": "12-к"},
    ),
    "nomination": ({"nominationId": 3, "nomNumber": "55", "nomDate": "2020-06-15"}, {"nomNumber": "56"}),
    "organization": (
        {"organizationId": "РОССИЙСКОЕ ОБЩЕСТВО ТЕРАПЕВТОВ", "beginDate": "2015-03-01"},
        {"endDate": "2020-03-01T00:00:00.0000000Z"},
    ),
}
# 0..1 per person: GET without entityId answers the record itself.
SINGLE_BODIES = {
    "common": (
        {
            "institution": "МБОУ СОШ № 4 г. Читы",
            "docSerial": "75АБ",
            "docNumber": "0012345",
            "docDate": "2003-06-20T00:00:00.0000000Z",
            "profCourseSet": [
                {"docDate": "2002-05-30T00:00:00.0000000Z", "profCourseId": 5, "profCourseName": "Санитар"}
            ],
        },
        {"docNumber": "0012346"},
    ),
    "militaryService": (
        {"militaryService": True, "beginDate": "2009-11-01", "endDate": "2010-11-01"},
        {"militaryService": False},
    ),
}
ID_KEYS = {
    "prof": "profId",
    "postgraduate": "postgraduateId",
    "ext": "extId",
    "cert": "certId",
    "qualification": "qualificationId",
    "nomination": "entityId",
    "organization": "entityId",
    "common": "commonId",
    "militaryService": "id",
}


@pytest.fixture
def person_a(api_a):
    assert api_a.post("person", EXAMPLE_PERSON).status_code == 200


@pytest.mark.parametrize("resource", list(BODIES))
def test_section_lifecycle(api_a, api_b, person_a, resource) -> None:
    body, change = BODIES[resource]
    path = f"person/{resource}"
    created = api_a.post(path, body, snils=SNILS)
    assert created.status_code == 200, created.content.decode()
    entity = created.json_body["content"]["entityId"]

    id_key = ID_KEYS[resource]
    listed = api_a.get(path, snils=SNILS).json_body["content"]
    assert [item[id_key] for item in listed] == [entity]
    single = api_a.get(path, snils=SNILS, entityId=entity)
    assert single.status_code == 200 and single.json_body["content"][id_key] == entity
    assert "entityId" not in single.json_body["content"] or id_key == "entityId"

    updated = api_a.put(path, {**body, **change}, snils=SNILS, entityId=entity)
    assert updated.status_code == 200, updated.content.decode()
    after = api_a.get(path, snils=SNILS, entityId=entity).json_body["content"]
    for key, value in change.items():
        assert after[key] == (_real_date(value) if key.endswith("Date") else value)

    # Denied: another organization does not see the person at all.
    assert_envelope_error(api_b.get(path, snils=SNILS), 404, "не найден")
    assert_envelope_error(api_b.put(path, body, snils=SNILS, entityId=entity), 404)
    # Denied: a foreign mo with this token.
    assert_envelope_error(api_a.get(path, snils=SNILS, mo=api_b.mo), 403, "Токен выдан организации")

    assert api_a.delete(path, snils=SNILS, entityId=entity).status_code == 200
    assert_envelope_error(api_a.get(path, snils=SNILS, entityId=entity), 404, str(entity))
    assert_envelope_error(api_a.delete(path, snils=SNILS), 400, "entityId")


def _real_date(value: str) -> str:
    return value[:10] + "T00:00:00.0000000Z"


@pytest.mark.parametrize("resource", list(SINGLE_BODIES))
def test_single_section_lifecycle(api_a, api_b, person_a, resource) -> None:
    body, change = SINGLE_BODIES[resource]
    path = f"person/{resource}"
    assert api_a.get(path, snils=SNILS).json_body["content"] is None
    created = api_a.post(path, body, snils=SNILS)
    assert created.status_code == 200, created.content.decode()
    entity = created.json_body["content"]["entityId"]
    content = api_a.get(path, snils=SNILS).json_body["content"]
    assert content[ID_KEYS[resource]] == entity
    for key, value in body.items():
        if key.endswith("Date"):
            value = _real_date(value)
        assert content[key] == value, key
    # Only one such record per person: a second POST points to PUT.
    assert_envelope_error(api_a.post(path, body, snils=SNILS), 409, "PUT", entity)
    assert api_a.put(path, {**body, **change}, snils=SNILS, entityId=entity).status_code == 200
    after = api_a.get(path, snils=SNILS).json_body["content"]
    for key, value in change.items():
        assert after[key] == value
    # Denied: another organization does not see the person.
    assert_envelope_error(api_b.get(path, snils=SNILS), 404, "не найден")
    assert api_a.delete(path, snils=SNILS, entityId=entity).status_code == 200
    assert api_a.get(path, snils=SNILS).json_body["content"] is None


def test_prof_end_year_defaults_to_the_diploma_year(api_a, person_a) -> None:
    api_a.post("person/prof", BODIES["prof"][0], snils=SNILS)
    [item] = api_a.get("person/prof", snils=SNILS).json_body["content"]
    assert item["endYear"] == 2009 and item["educationTypeId"] == {"code": 1, "name": "Высшее образование"}


def test_record_entered_by_another_organization_cannot_be_changed(api_a, api_b, person_a, org_b) -> None:
    department = org_b.departments.get()
    hire = {
        "nrPmuDepartId": department.oid,
        "postId": 1001,
        "positionTypeId": 1,
        "rate": 0.5,
        "beginDate": "2024-01-10",
    }
    assert api_b.post("person/card", hire, snils=SNILS, lastName="Иванова").status_code == 200
    entity = api_a.post("person/ext", BODIES["ext"][0], snils=SNILS).json_body["content"]["entityId"]
    # B now sees the person and A's record, but may not change it.
    assert api_b.get("person/ext", snils=SNILS, entityId=entity).status_code == 200
    assert_envelope_error(
        api_b.put("person/ext", BODIES["ext"][0], snils=SNILS, entityId=entity), 403, "другая организация"
    )
    assert_envelope_error(api_b.delete("person/ext", snils=SNILS, entityId=entity), 403)


def test_card_hire_update_dismiss_and_absences(api_a, api_b, person_a, org_a) -> None:
    department = org_a.departments.get()
    hire = {
        "oid": org_a.oid,
        "nrPmuDepartId": department.oid,
        "postId": {"code": 1001, "name": "Главный врач"},
        "positionTypeId": 1,
        "rate": 1,
        "beginDate": "2023-02-01T00:00:00.0000000Z",
        "contractNumber": "ТД-17",
        "contractDate": "2023-01-30",
        "serviceNumber": "0417",
    }
    created = api_a.post("person/card", hire, snils=SNILS)
    assert created.status_code == 200, created.content.decode()
    entity = created.json_body["content"]["entityId"]
    card = EmploymentCard.objects.get(pk=entity)
    assert api_a.get("person/card", snils=SNILS).json_body["content"][0]["id"] == entity
    assert card.organization == org_a and card.department == department

    with_leave = {**hire, "rate": 0.75, "temporaryDerelictions": [{"reasonId": 1, "beginDate": "2024-03-01"}]}
    assert api_a.put("person/card", with_leave, snils=SNILS, entityId=entity).status_code == 200
    content = api_a.get("person/card", snils=SNILS, entityId=entity).json_body["content"]
    assert content["rate"] == 0.75 and content["nrPmuDepartId"] == department.oid
    assert [a["reasonId"] for a in content["temporaryDerelictions"]] == [1]

    dismissal = {**with_leave, "endDate": "2024-09-30", "fireReasonId": 1}
    dismissal["temporaryDerelictions"][0]["endDate"] = "2024-09-30"
    assert api_a.put("person/card", dismissal, snils=SNILS, entityId=entity).status_code == 200
    card.refresh_from_db()
    assert card.end_date == datetime.date(2024, 9, 30) and card.end_reason.code == "1"
    assert AuditEntry.objects.filter(object_type="registry.employmentcard", reason="Увольнение").exists()

    assert_envelope_error(api_a.post("person/card", {**hire, "oid": api_b.mo}, snils=SNILS), 403)
    bad_department = api_a.post("person/card", {**hire, "nrPmuDepartId": "1.2.3"}, snils=SNILS)
    assert_envelope_error(bad_department, 422, "nrPmuDepartId")
    bad_rate = api_a.post("person/card", {**hire, "rate": 0.3}, snils=SNILS)
    assert_envelope_error(bad_rate, 422, "«rate»", "0,25")

    assert api_a.delete("person/card", snils=SNILS, entityId=entity).status_code == 200
    assert not EmploymentCard.objects.filter(pk=entity).exists()


def test_cards_of_other_organizations_are_not_shown(api_a, api_b, person_a, org_a, org_b) -> None:
    for api, org in ((api_a, org_a), (api_b, org_b)):
        hire = {
            "nrPmuDepartId": org.departments.get().oid,
            "postId": 1001,
            "positionTypeId": 1,
            "rate": 1,
            "beginDate": "2024-01-10",
        }
        assert api.post("person/card", hire, snils=SNILS, lastName="Иванова").status_code == 200
    for api, org in ((api_a, org_a), (api_b, org_b)):
        cards = api.get("person/card", snils=SNILS).json_body["content"]
        assert [c["oid"] for c in cards] == [org.oid]
        full = api.get("person/full", snils=SNILS).json_body["content"]
        assert [c["oid"] for c in full["personCard"]] == [org.oid]


def test_hire_of_an_unknown_person_needs_matching_surname(api_b) -> None:
    hire = {"nrPmuDepartId": "x", "postId": 1001, "positionTypeId": 1, "rate": 1, "beginDate": "2024-01-10"}
    assert_envelope_error(
        api_b.post("person/card", hire, snils=SNILS, lastName="Иванова"), 404, "POST person"
    )


def test_accreditation_is_read_only(api_a, person_a) -> None:
    from frmr.registry.models import Person

    AccreditationRecordFactory(person=Person.objects.get(snils=SNILS))
    response = api_a.get("person/accreditation", snils=SNILS)
    assert response.status_code == 200
    [procedure] = response.json_body["content"]["accreditationProcedures"]
    assert procedure["lastName"] == "Иванова" and procedure["passed"] is True
    refused = api_a.post("person/accreditation", {}, snils=SNILS)
    assert_envelope_error(refused, 405, "GET")


def test_full_file(api_a, person_a, org_a) -> None:
    for resource, (body, _) in {**BODIES, **SINGLE_BODIES}.items():
        assert api_a.post(f"person/{resource}", body, snils=SNILS).status_code == 200
    full = api_a.get("person/full", snils=SNILS).json_body["content"]
    assert full["snils"] == SNILS and len(full["documents"]) == 1
    # The real register's keys; postgraduate and ext under both names the two real clients read.
    for key in (
        "educationProf",
        "personPostgraduate",
        "educationPostgraduate",
        "personExt",
        "educationExt",
        "educationCert",
        "personQualification",
        "personNomination",
        "personOrganization",
    ):
        assert len(full[key]) == 1, key
    assert full["educationCommon"]["institution"] == "МБОУ СОШ № 4 г. Читы"
    assert full["personCard"] == [] and full["personAccreditation"] is None
    for old_key in (
        "prof",
        "postgraduate",
        "ext",
        "cert",
        "qualification",
        "nomination",
        "card",
        "accreditation",
    ):
        assert old_key not in full
