"""The register's rows as FHIR R4 resources (plain dicts, ready for JSON).

Pure functions of loaded rows: they run no query, so a page's query count is decided by selectors.py
alone. What each element holds and why is in docs/fhir.md («Ресурсы»).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from frmr.integration.fhir import systems
from frmr.nsi.models import DictionaryEntry
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


def _coding(system: str, entry: DictionaryEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {"system": system, "code": entry.code, "display": entry.name}


def _concept(system: str, entry: DictionaryEntry | None, *, text: str = "") -> dict[str, Any]:
    coding = _coding(system, entry)
    concept: dict[str, Any] = {"coding": [coding]} if coding else {}
    if text or entry is not None:
        concept["text"] = text or (entry.name if entry else "")
    return concept


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

# The qualification sections a Practitioner carries, as the prefetch names selectors.py loads.
QUALIFICATION_SECTIONS = ("professional_education", "certificates", "accreditations")


def practitioner_last_updated(person: m.Person) -> datetime.datetime:
    """The latest save of the person or of one of the qualifications the resource shows."""
    times = [person.updated_at]
    for section in QUALIFICATION_SECTIONS:
        times.extend(row.updated_at for row in getattr(person, section).all())
    return max(times)


def _qualification(
    kind: str,
    *,
    number: str,
    specialty: DictionaryEntry | None,
    specialty_text: str,
    start: datetime.date | None,
    end: datetime.date | None,
    issuer: str,
) -> dict[str, Any]:
    # `identifier.type.text` says which document it is: FHIR R4 has no coded list of Russian ones.
    qualification: dict[str, Any] = {
        "code": _concept(systems.SPECIALTIES, specialty, text=f"{kind}: {specialty_text}"),
    }
    if number:
        qualification["identifier"] = [{"type": {"text": kind}, "value": number}]
    period = _period(start, end)
    if period:
        qualification["period"] = period
    if issuer:
        qualification["issuer"] = {"display": issuer}
    return qualification


def practitioner_qualifications(person: m.Person) -> list[dict[str, Any]]:
    out = []
    for diploma in person.professional_education.all():  # type: ignore[attr-defined]
        out.append(
            _qualification(
                "Диплом",
                number=_document_number(diploma.doc_series, diploma.doc_number),
                specialty=diploma.specialty,
                specialty_text=diploma.specialty.name if diploma.specialty else diploma.specialty_name,
                start=diploma.doc_date,
                end=None,
                issuer=diploma.institution_name,
            )
        )
    for cert in person.certificates.all():  # type: ignore[attr-defined]
        out.append(
            _qualification(
                "Сертификат специалиста",
                number=_document_number(cert.series, cert.number),
                specialty=cert.specialty,
                specialty_text=cert.specialty.name,
                start=cert.pass_date or cert.exam_date,
                end=cert.end_date,
                issuer=cert.institution_name,
            )
        )
    for accreditation in person.accreditations.all():  # type: ignore[attr-defined]
        if not accreditation.passed:
            continue  # a failed procedure qualifies for nothing
        out.append(
            _qualification(
                # The kind's own name («Периодическая аккредитация») says both what and which.
                accreditation.kind.name[:1].upper() + accreditation.kind.name[1:],
                number=accreditation.registry_number,
                specialty=accreditation.specialty,
                specialty_text=accreditation.specialty.name,
                start=accreditation.pass_date,
                end=accreditation.end_date,
                issuer=accreditation.institution_name,
            )
        )
    return out


def practitioner(person: m.Person) -> dict[str, Any]:
    """Practitioner: `person` with its qualification sections prefetched (selectors.with_qualifications)."""
    given = [person.first_name] + ([person.patronymic] if person.patronymic else [])
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": person.oid,
        # No versionId: the resource is made of several rows, each with its own version.
        "meta": _meta(practitioner_last_updated(person), None),
        "identifier": [
            {"use": "official", "system": systems.SNILS, "value": person.snils},
            {"use": "usual", "system": systems.REGISTER_NUMBER, "value": person.oid},
        ],
        # R4's Practitioner has no deceased element: a person who died is an inactive record.
        "active": person.death_date is None,
        "name": [{"use": "official", "text": person.full_name, "family": person.last_name, "given": given}],
        "gender": GENDERS.get(person.gender, "unknown"),
        "birthDate": person.birth_date.isoformat(),
    }
    qualifications = practitioner_qualifications(person)
    if qualifications:
        resource["qualification"] = qualifications
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
                "text": "Медицинская организация",
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
