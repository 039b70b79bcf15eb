"""The register's rows as FHIR R4 resources (plain dicts, ready for JSON).

Pure functions of loaded rows: they run no query, so a page's query count is decided by selectors.py
alone. What each element holds and why is in docs/fhir.md («Ресурсы»).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from frmr.integration.fhir import systems
from frmr.registry import models as m

GENDERS: dict[int, str] = {m.Gender.MALE.value: "male", m.Gender.FEMALE.value: "female"}


def instant(value: datetime.datetime) -> str:
    """A FHIR instant: UTC, to the microsecond the database keeps, so that `_lastUpdated=le<it>` finds
    the very resource it was read from."""
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _meta(updated: datetime.datetime, version: int | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"lastUpdated": instant(updated)}
    if version is not None:
        meta["versionId"] = str(version)
    return meta


def _period(start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    period = {}
    if start is not None:
        period["start"] = start.isoformat()
    if end is not None:
        period["end"] = end.isoformat()
    return period


def _document_number(series: str, number: str) -> str:
    return f"{series} {number}".strip()


def reference(resource_type: str, resource_id: str, display: str = "") -> dict[str, str]:
    ref = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        ref["display"] = display
    return ref


# ------------------------------------------------------------------------------------ Practitioner

# The qualification sections a Practitioner shows (selectors.QUALIFICATION_VALUES loads them).
QUALIFICATION_SECTIONS = ("professional_education", "certificates", "accreditations")

Row = Mapping[str, Any]


def practitioner_last_updated(person: Row, qualifications: Mapping[str, Sequence[Row]]) -> datetime.datetime:
    """The latest save of the person or of one of their qualification rows."""
    times: list[datetime.datetime] = [person["updated_at"]]
    for section in QUALIFICATION_SECTIONS:
        times.extend(row["updated_at"] for row in qualifications.get(section, ()))
    return max(times)


def _specialty(row: Row, text: str) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if row["specialty__code"] is not None:
        concept["coding"] = [
            {"system": systems.SPECIALTIES, "code": row["specialty__code"], "display": row["specialty__name"]}
        ]
    return concept


def _qualification(
    kind: str,
    row: Row,
    *,
    specialty_text: str,
    number: str,
    start: datetime.date | None,
    end: datetime.date | None,
) -> dict[str, Any]:
    # `identifier.type.text` says which document it is: FHIR R4 has no coded list of Russian ones.
    qualification: dict[str, Any] = {"code": _specialty(row, f"{kind}: {specialty_text}")}
    if number:
        qualification["identifier"] = [{"type": {"text": kind}, "value": number}]
    period = _period(start, end)
    if period:
        qualification["period"] = period
    if row["institution_name"]:
        qualification["issuer"] = {"display": row["institution_name"]}
    return qualification


def practitioner_qualifications(qualifications: Mapping[str, Sequence[Row]]) -> list[dict[str, Any]]:
    out = []
    for diploma in qualifications.get("professional_education", ()):
        out.append(
            _qualification(
                _("Диплом"),
                diploma,
                specialty_text=diploma["specialty__name"] or diploma["specialty_name"],
                number=_document_number(diploma["doc_series"], diploma["doc_number"]),
                start=diploma["doc_date"],
                end=None,
            )
        )
    for cert in qualifications.get("certificates", ()):
        out.append(
            _qualification(
                _("Сертификат специалиста"),
                cert,
                specialty_text=cert["specialty__name"],
                number=_document_number(cert["series"], cert["number"]),
                start=cert["pass_date"] or cert["exam_date"],
                end=cert["end_date"],
            )
        )
    for accreditation in qualifications.get("accreditations", ()):
        if not accreditation["passed"]:
            continue  # a failed procedure qualifies for nothing
        kind = accreditation["kind__name"]
        out.append(
            _qualification(
                # The kind's own name («Периодическая аккредитация») says both what and which.
                kind[:1].upper() + kind[1:],
                accreditation,
                specialty_text=accreditation["specialty__name"],
                number=accreditation["registry_number"],
                start=accreditation["pass_date"],
                end=accreditation["end_date"],
            )
        )
    return out


def practitioner(person: Row, qualifications: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    """Practitioner: the person's values (selectors.PRACTITIONER_VALUES) and their qualification rows by
    section (selectors.qualifications_of). Plain values, as for roles: no model objects per row."""
    first, patronymic = person["first_name"], person["patronymic"]
    given = [first] + ([patronymic] if patronymic else [])
    full_name = " ".join(part for part in (person["last_name"], first, patronymic) if part)
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": person["oid"],
        # No versionId: the resource is made of several rows, each with its own version.
        "meta": _meta(practitioner_last_updated(person, qualifications), None),
        "identifier": [
            {"use": "official", "system": systems.SNILS, "value": person["snils"]},
            {"use": "usual", "system": systems.REGISTER_NUMBER, "value": person["oid"]},
        ],
        # R4's Practitioner has no deceased element: a person who died is an inactive record.
        "active": person["death_date"] is None,
        "name": [{"use": "official", "text": full_name, "family": person["last_name"], "given": given}],
        "gender": GENDERS.get(person["gender"], "unknown"),
        "birthDate": person["birth_date"].isoformat(),
    }
    shown = practitioner_qualifications(qualifications)
    if shown:
        resource["qualification"] = shown
    return resource


# -------------------------------------------------------------------------------- PractitionerRole


def position_specialty_codes(card: Mapping[str, Any]) -> list[str]:
    """The specialties the card's position admits (the positions dictionary's `specialties` attribute)."""
    codes = (card["position__attrs"] or {}).get("specialties") or []
    return [str(code) for code in codes]


def _entry_concept(system: str, code: str, name: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": name}], "text": name}


def practitioner_role(
    card: Mapping[str, Any], *, organization: m.Organization, specialties: Mapping[str, str]
) -> dict[str, Any]:
    """PractitionerRole: one employment card as the values selectors.ROLE_VALUES names (plain values, no
    model objects: a page of a hundred cards would otherwise build five hundred of them).
    `specialties` names the specialty codes (code → name)."""
    position = _entry_concept(systems.POSITIONS, card["position__code"], card["position__name"])
    if card["fed_position_code"] is not None:
        position["coding"].append(
            {
                "system": systems.FED_POSITIONS,
                "code": str(card["fed_position_code"]),
                **({"display": card["fed_position_name"]} if card["fed_position_name"] else {}),
            }
        )
    person_name = " ".join(
        part
        for part in (card["person__last_name"], card["person__first_name"], card["person__patronymic"])
        if part
    )
    resource: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": str(card["pk"]),
        "meta": _meta(card["updated_at"], card["version"]),
        "active": card["end_date"] is None,
        "period": _period(card["begin_date"], card["end_date"]),
        "practitioner": reference("Practitioner", card["person__oid"], person_name),
        "organization": reference("Organization", organization.oid, organization.name_short),
        "code": [
            position,
            _entry_concept(systems.POSITION_TYPES, card["position_type__code"], card["position_type__name"]),
        ],
        "location": [reference("Location", str(card["department_id"]), card["department__name"])],
    }
    specialty = [
        {"coding": [{"system": systems.SPECIALTIES, "code": code, "display": specialties[code]}]}
        for code in position_specialty_codes(card)
        if code in specialties
    ]
    if specialty:
        resource["specialty"] = specialty
    return resource


# ---------------------------------------------------------------------------- Organization, Location


def organization(org: m.Organization) -> dict[str, Any]:
    identifiers = [
        {"use": "official", "system": systems.URI, "value": systems.oid_value(org.oid)},
        {"system": systems.OGRN, "value": org.ogrn},
        {"system": systems.INN_LEGAL, "value": org.inn},
    ]
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": org.oid,
        "meta": _meta(org.updated_at, org.version),
        "identifier": identifiers,
        "active": org.is_active,
        "type": [
            {
                "coding": [
                    {"system": systems.ORGANIZATION_TYPE, "code": "prov", "display": "Healthcare Provider"}
                ],
                "text": _("Медицинская организация"),
            }
        ],
        "name": org.name_full,
        "alias": [org.name_short],
    }
    telecom = [{"system": "phone", "value": org.phone}] if org.phone else []
    telecom += [{"system": "email", "value": org.email}] if org.email else []
    if telecom:
        resource["telecom"] = telecom
    if org.address:
        resource["address"] = [{"use": "work", "type": "physical", "text": org.address, "country": "RU"}]
    return resource


def location(department: m.Department, *, organization: m.Organization) -> dict[str, Any]:
    """Location: a department. The register keeps no address of its own for a department: the
    organization's address is given."""
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": str(department.pk),
        "meta": _meta(department.updated_at, department.version),
        "identifier": [
            {"use": "official", "system": systems.URI, "value": systems.oid_value(department.oid)}
        ],
        "status": "active" if department.is_active else "inactive",
        "name": department.name,
        "mode": "instance",
        "managingOrganization": reference("Organization", organization.oid, organization.name_short),
    }
    if organization.address:
        resource["address"] = {
            "use": "work",
            "type": "physical",
            "text": organization.address,
            "country": "RU",
        }
    return resource


def specialty_codes(cards: Iterable[Mapping[str, Any]]) -> set[str]:
    return {code for card in cards for code in position_specialty_codes(card)}
