"""Between the real register's JSON and this register's models, in both directions.

Each section is described once (`SectionSpec`): its JSON name ↔ model field pairs drive reading the body,
writing the answer, and naming fields in error messages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema

from frmr.integration.api import schemas as s
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m

Kind = Literal["text", "date", "int", "dict", "dictobj"]


@dataclass(frozen=True)
class F:
    json: str
    model: str
    kind: Kind = "text"
    # For a dictionary field whose name the real API sends in a sibling field (`specId` + `specName`).
    name_key: str | None = None


def code_value(code: str | None) -> int | str | None:
    """The real API's codes are numbers: "75" → 75; a code that is not a plain number stays text."""
    if code is None:
        return None
    return int(code) if code.isascii() and code.isdigit() and len(code) < 18 else code


def code_out(entry: DictionaryEntry | None) -> int | str | None:
    return None if entry is None else code_value(entry.code)


def dict_out(entry: DictionaryEntry | None) -> dict[str, Any] | None:
    return None if entry is None else {"code": code_out(entry), "name": entry.name}


def value_out(obj: Any, spec: F) -> Any:
    if spec.kind in ("dict", "dictobj"):
        entry = getattr(obj, spec.model) if getattr(obj, f"{spec.model}_id") is not None else None
        return dict_out(entry) if spec.kind == "dictobj" else code_out(entry)
    value = getattr(obj, spec.model)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def fields_out(obj: Any, specs: Iterable[F]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        out[spec.json] = value_out(obj, spec)
        if spec.name_key:
            entry = getattr(obj, spec.model) if getattr(obj, f"{spec.model}_id") is not None else None
            out[spec.name_key] = entry.name if entry else None
    return out


def fields_in(body: Schema, specs: Iterable[F]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in specs:
        value = getattr(body, spec.json, None)
        if spec.kind in ("dict", "dictobj"):
            data[spec.model] = s.code_of(value)
        elif spec.kind == "text":
            data[spec.model] = "" if value is None else value
        else:
            data[spec.model] = value
    return data


@dataclass(frozen=True)
class SectionSpec:
    resource: str
    model: type[m.PersonSection]
    schema: type[Schema]
    fields: tuple[F, ...]
    related: tuple[str, ...]
    title: str
    # Fills what the real API does not send but the model needs (e.g. the year a diploma was finished).
    complete: Callable[[Schema, dict[str, Any]], None] | None = None
    json_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.json_names.update({f.model: f.json for f in self.fields})

    def to_json(self, obj: m.PersonSection) -> dict[str, Any]:
        return {"entityId": str(obj.pk), **fields_out(obj, self.fields)}

    def from_body(self, body: Schema) -> dict[str, Any]:
        data = fields_in(body, self.fields)
        if self.complete:
            self.complete(body, data)
        return data

    def name(self, model_field: str) -> str:
        return self.json_names.get(model_field, model_field)


def _prof_complete(body: Any, data: dict[str, Any]) -> None:
    if data.get("end_year") is None and isinstance(body.docDate, datetime.date):
        data["end_year"] = body.docDate.year


def _postgraduate_complete(body: Any, data: dict[str, Any]) -> None:
    if data.get("begin_date") is None and body.beginYear is not None:
        data["begin_date"] = datetime.date(body.beginYear, 9, 1)


SPEC_ID = F("specId", "specialty", "dict", "specName")

SECTIONS: dict[str, SectionSpec] = {
    spec.resource: spec
    for spec in (
        SectionSpec(
            "prof",
            m.ProfessionalEducation,
            s.ProfIn,
            (
                F("educationTypeId", "education_type", "dictobj"),
                F("institutionName", "institution_name"),
                F("beginYear", "begin_year", "int"),
                F("endYear", "end_year", "int"),
                F("docSerial", "doc_series"),
                F("docNumber", "doc_number"),
                F("docDate", "doc_date", "date"),
                F("specName", "specialty_name"),
                F("specId", "specialty", "dict"),
                F("qualificationName", "qualification_name"),
            ),
            ("education_type", "specialty"),
            "профессиональное образование",
            complete=_prof_complete,
        ),
        SectionSpec(
            "postgraduate",
            m.PostgraduateEducation,
            s.PostgraduateIn,
            (
                F("educationStageId", "stage", "dict", "educationStageName"),
                F("institutionName", "institution_name"),
                F("beginDate", "begin_date", "date"),
                F("endDate", "end_date", "date"),
                F("docSerial", "doc_series"),
                F("docNumber", "doc_number"),
                F("docDate", "doc_date", "date"),
                SPEC_ID,
            ),
            ("stage", "specialty"),
            "послевузовское образование",
            complete=_postgraduate_complete,
        ),
        SectionSpec(
            "ext",
            m.AdditionalEducation,
            s.ExtIn,
            (
                F("profEducationKindId", "kind", "dict", "profEducationKindName"),
                F("institutionName", "institution_name"),
                F("hoursCount", "hours", "int"),
                F("theme", "theme"),
                F("docSerial", "doc_series"),
                F("docNumber", "doc_number"),
                F("docDate", "doc_date", "date"),
                SPEC_ID,
            ),
            ("kind", "specialty"),
            "дополнительное образование",
        ),
        SectionSpec(
            "cert",
            m.SpecialistCertificate,
            s.CertIn,
            (
                F("institutionName", "institution_name"),
                F("certSerial", "series"),
                F("certNumber", "number"),
                F("examDate", "exam_date", "date"),
                F("endDate", "end_date", "date"),
                SPEC_ID,
            ),
            ("specialty",),
            "сертификат специалиста",
        ),
        SectionSpec(
            "qualification",
            m.QualificationCategory,
            s.QualificationIn,
            (
                F("qualifyCategoryId", "category", "dict", "qualifyCategoryName"),
                F("beginDate", "begin_date", "date"),
                F("endDate", "end_date", "date"),
                SPEC_ID,
                F("orderNumber", "order_number"),
            ),
            ("category", "specialty"),
            "квалификационная категория",
        ),
        SectionSpec(
            "nomination",
            m.Award,
            s.NominationIn,
            (
                F("nominationId", "kind", "dict", "nominationName"),
                F("nomNumber", "number"),
                F("nomDate", "award_date", "date"),
            ),
            ("kind",),
            "награда",
        ),
    )
}

# ------------------------------------------------------------------------------------------- Person

PERSON_FIELDS = (
    F("lastName", "last_name"),
    F("firstName", "first_name"),
    F("patronymic", "patronymic"),
    F("gender", "gender", "int"),
    F("birthDate", "birth_date", "date"),
    F("birthPlace", "birth_place"),
    F("deathDate", "death_date", "date"),
    F("snils", "snils"),
    F("inn", "inn"),
    F("citizenShipId", "citizenship", "dictobj"),
    F("phone", "phone"),
    F("email", "email"),
)
PERSON_NAMES = {f.model: f.json for f in PERSON_FIELDS}

DOCUMENT_FIELDS = (
    F("documentId", "document_type", "dict"),
    F("serial", "series"),
    F("number", "number"),
    F("passDate", "issue_date", "date"),
    F("passOrg", "issued_by"),
    F("codeOrg", "division_code"),
)
DOCUMENT_NAMES = {f.model: f.json for f in DOCUMENT_FIELDS}

ADDRESS_NAMES = {
    "address_type": "addressTypeId",
    "registration_date": "regDate",
    "region": "address.region",
    "area_name": "address.areaName",
    "street_name": "address.streetName",
    "house": "address.house",
    "building": "address.building",
    "structure": "address.struct",
    "flat": "address.flat",
}


def person_data(body: s.PersonIn) -> dict[str, Any]:
    return fields_in(body, PERSON_FIELDS)


def document_data(body: s.DocumentIn) -> dict[str, Any]:
    return fields_in(body, DOCUMENT_FIELDS)


def region_code(value: Any) -> str | None:
    code = s.code_of(value)
    # Region codes are two digits ("05"); clients send them as numbers (5).
    return code.zfill(2) if code and code.isdigit() and len(code) == 1 else code


def _joined(prefix: str, name: str) -> str:
    return f"{prefix} {name}".strip() if prefix and name else name


def address_data(body: s.AddressIn) -> dict[str, Any]:
    a = body.address
    return {
        "address_type": s.code_of(body.addressTypeId),
        "registration_date": body.regDate,
        "region": region_code(a.region),
        "area_name": _joined(a.prefixArea, a.areaName),
        "street_name": _joined(a.prefixStreet, a.streetName),
        "house": a.house,
        "building": a.building,
        "structure": a.struct,
        "flat": a.flat,
    }


def document_out(doc: m.IdentityDocument) -> dict[str, Any]:
    return {"entityId": str(doc.pk), **fields_out(doc, DOCUMENT_FIELDS)}


def address_out(address: m.Address) -> dict[str, Any]:
    return {
        "entityId": str(address.pk),
        "addressTypeId": code_out(address.address_type),
        "regDate": address.registration_date.isoformat() if address.registration_date else None,
        "address": {
            "region": code_out(address.region),
            "areaName": address.area_name,
            "streetName": address.street_name,
            "house": address.house,
            "building": address.building,
            "struct": address.structure,
            "flat": address.flat,
        },
    }


def person_out(person: m.Person) -> dict[str, Any]:
    """Personal data with documents and addresses (prefetched by the caller)."""
    return {
        "oid": person.oid,
        **fields_out(person, PERSON_FIELDS),
        "documents": [document_out(doc) for doc in person.documents.all()],
        "addresses": [address_out(address) for address in person.addresses.all()],
    }


# --------------------------------------------------------------------------------------------- Card

CARD_NAMES = {
    "department": "nrPmuDepartId",
    "position": "postId",
    "position_type": "positionTypeId",
    "rate": "rate",
    "begin_date": "beginDate",
    "end_date": "endDate",
    "end_reason": "fireReasonId",
    "contract_number": "contractNumber",
    "contract_date": "contractDate",
    "service_number": "serviceNumber",
    "transfer_date": "beginDate",
}
ABSENCE_NAMES = {"reason": "reasonId", "begin_date": "beginDate", "end_date": "endDate"}


def card_data(body: s.CardIn, department: m.Department | None) -> dict[str, Any]:
    return {
        "department": department,
        "position": s.code_of(body.postId),
        "position_type": s.code_of(body.positionTypeId),
        "rate": Decimal(str(body.rate)),
        "begin_date": body.beginDate,
        "contract_number": body.contractNumber,
        "contract_date": body.contractDate,
        "service_number": body.serviceNumber,
    }


def absence_data(body: s.AbsenceIn) -> dict[str, Any]:
    return {"reason": s.code_of(body.reasonId), "begin_date": body.beginDate, "end_date": body.endDate}


def absence_out(absence: m.Absence) -> dict[str, Any]:
    return {
        "entityId": str(absence.pk),
        "reasonId": code_out(absence.reason),
        "reasonName": absence.reason.name,
        "beginDate": absence.begin_date.isoformat(),
        "endDate": absence.end_date.isoformat() if absence.end_date else None,
    }


def card_out(card: m.EmploymentCard) -> dict[str, Any]:
    return {
        "entityId": str(card.pk),
        "oid": card.organization.oid,
        "organization": card.organization.name_short,
        "nrPmuDepartId": card.department.oid,
        "nrPmuDepartName": card.department.name,
        "postId": code_out(card.position),
        "postName": card.position.name,
        "positionTypeId": code_out(card.position_type),
        "positionTypeName": card.position_type.name,
        "rate": float(card.rate),
        "beginDate": card.begin_date.isoformat(),
        "endDate": card.end_date.isoformat() if card.end_date else None,
        "fireReasonId": code_out(card.end_reason) if card.end_reason_id else None,
        "fireReasonName": card.end_reason.name if card.end_reason_id and card.end_reason else None,
        "contractNumber": card.contract_number,
        "contractDate": card.contract_date.isoformat() if card.contract_date else None,
        "serviceNumber": card.service_number,
        "temporaryDerelictions": [absence_out(a) for a in card.absences.all()],
    }


# ---------------------------------------------------------------------------------- Accreditation


def accreditation_out(person: m.Person, records: list[m.AccreditationRecord]) -> dict[str, Any]:
    return {
        "accreditationProcedures": [
            {
                "accreditationProcedureId": str(record.pk),
                "registryNumber": record.registry_number,
                "lastName": person.last_name,
                "firstName": person.first_name,
                "patronymic": person.patronymic,
                "accreditationKindId": code_out(record.kind),
                "accreditationKind": record.kind.name,
                "spec": dict_out(record.specialty),
                "institution": record.institution_name,
                "passed": record.passed,
                "passDate": record.pass_date.isoformat(),
                "endDate": record.end_date.isoformat(),
                "protocolDate": record.protocol_date.isoformat(),
                "protocolNumber": record.protocol_number,
                "applicationId": record.application_ref or None,
            }
            for record in records
        ]
    }
