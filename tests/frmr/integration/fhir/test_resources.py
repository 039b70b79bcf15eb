"""Each resource type read by id: its content, and the FHIR models of `fhir.resources` accept it."""

from __future__ import annotations

import pytest

from frmr.integration.fhir import systems
from tests.frmr.integration.fhir.conftest import Fhir, Staff, outcome

pytestmark = pytest.mark.django_db


def test_practitioner(fhir_a: Fhir, staff: Staff) -> None:
    response = fhir_a.get(f"Practitioner/{staff.nina.oid}")
    assert response.status_code == 200
    res = response.body
    assert res["resourceType"] == "Practitioner" and res["id"] == staff.nina.oid
    assert {"system": systems.SNILS, "value": staff.nina.snils, "use": "official"} in res["identifier"]
    assert {"system": systems.REGISTER_NUMBER, "value": staff.nina.oid, "use": "usual"} in res["identifier"]
    name = res["name"][0]
    assert name["family"] == "Иванова" and name["given"] == ["Нина", "Петровна"]
    assert name["text"] == "Иванова Нина Петровна"
    assert res["gender"] == "female" and res["birthDate"] == "1985-03-14" and res["active"] is True
    kinds = [q["identifier"][0]["type"]["text"] for q in res["qualification"]]
    # The failed accreditation qualifies for nothing and is left out.
    assert kinds == ["Диплом", "Сертификат специалиста", "Периодическая аккредитация"]
    diploma, cert, accreditation = res["qualification"]
    assert diploma["code"]["coding"] == [
        {"system": "urn:oid:1.2.643.5.1.13.13.11.1066", "code": "1001", "display": "Лечебное дело"}
    ]
    assert diploma["identifier"][0]["value"].startswith("ВСГ ")
    assert cert["identifier"][0]["value"] == "0177001" and cert["period"]["end"] == "2021-12-01"
    assert accreditation["identifier"][0]["value"] == "7722 000000001"
    assert accreditation["code"]["coding"][0]["code"] == "1051"
    assert accreditation["period"] == {"start": "2022-03-01", "end": "2027-03-01"}


def test_practitioner_without_patronymic(fhir_a: Fhir, staff: Staff) -> None:
    res = fhir_a.get(f"Practitioner/{staff.oleg.oid}").body
    assert res["name"][0]["given"] == ["Олег"] and res["gender"] == "male"
    assert "qualification" not in res


def test_practitioner_role(fhir_a: Fhir, staff: Staff, org_a) -> None:
    res = fhir_a.get(f"PractitionerRole/{staff.nina_card.pk}").body
    assert res["active"] is True and res["period"] == {"start": "2020-09-01"}
    assert res["practitioner"]["reference"] == f"Practitioner/{staff.nina.oid}"
    assert res["organization"]["reference"] == f"Organization/{org_a.oid}"
    assert res["location"][0]["reference"] == f"Location/{staff.nina_card.department_id}"
    position, position_type = res["code"]
    assert position["coding"][0]["system"] == "urn:oid:1.2.643.5.1.13.13.11.1102"
    assert position["coding"][0]["code"] == "1001"
    assert position_type["coding"][0] == {
        "system": "urn:oid:1.2.643.5.1.13.2.1.1.209",
        "code": "1",
        "display": position_type["coding"][0]["display"],
    }
    assert res["specialty"] == [
        {
            "coding": [
                {
                    "system": "urn:oid:1.2.643.5.1.13.13.11.1066",
                    "code": "1051",
                    "display": res["specialty"][0]["coding"][0]["display"],
                }
            ]
        }
    ]
    assert res["meta"]["versionId"] == str(staff.nina_card.version)
    dismissed = fhir_a.get(f"PractitionerRole/{staff.oleg_card.pk}").body
    assert dismissed["active"] is False and dismissed["period"] == {
        "start": "2020-09-01",
        "end": "2023-01-31",
    }


def test_organization_and_location(fhir_a: Fhir, org_a) -> None:
    org_a.address = "г. Москва, ул. Тверская, д. 1"
    org_a.save()
    res = fhir_a.get(f"Organization/{org_a.oid}").body
    assert {"use": "official", "system": "urn:ietf:rfc:3986", "value": f"urn:oid:{org_a.oid}"} in res[
        "identifier"
    ]
    assert {"system": systems.OGRN, "value": org_a.ogrn} in res["identifier"]
    assert {"system": systems.INN_LEGAL, "value": org_a.inn} in res["identifier"]
    assert res["name"] == org_a.name_full and res["alias"] == [org_a.name_short] and res["active"] is True
    assert res["type"][0]["coding"][0]["code"] == "prov"
    assert res["address"][0]["text"] == org_a.address
    department = org_a.departments.get()
    loc = fhir_a.get(f"Location/{department.pk}").body
    assert loc["name"] == department.name and loc["status"] == "active"
    assert loc["identifier"][0]["value"] == f"urn:oid:{department.oid}"
    assert loc["managingOrganization"]["reference"] == f"Organization/{org_a.oid}"
    assert loc["address"]["text"] == org_a.address


def test_unknown_ids_are_404(fhir_a: Fhir, staff: Staff) -> None:
    outcome(fhir_a.get("Practitioner/2026.9999999"), 404, "not-found", "Practitioner/2026.9999999")
    outcome(fhir_a.get("PractitionerRole/abc"), 404, "not-found")
    outcome(fhir_a.get("Location/999999"), 404, "not-found")
    outcome(fhir_a.get("Patient/1"), 404, "not-found", "Patient")
    outcome(fhir_a.get("Practitioner/x/y/z"), 404, "not-found")


def test_metadata(fhir_a: Fhir) -> None:
    response = fhir_a.get("metadata", raw=None)  # a CapabilityStatement is public
    assert response.status_code == 200
    res = response.body
    assert res["fhirVersion"] == "4.0.1" and res["kind"] == "instance"
    by_type = {r["type"]: r for r in res["rest"][0]["resource"]}
    assert set(by_type) == {"Practitioner", "PractitionerRole", "Organization", "Location"}
    assert by_type["PractitionerRole"]["searchInclude"] == ["PractitionerRole:practitioner"]
    assert {"read", "search-type", "history-type"} == {i["code"] for i in by_type["Location"]["interaction"]}
    assert "identifier" in {p["name"] for p in by_type["Practitioner"]["searchParam"]}
