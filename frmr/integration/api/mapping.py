"""Between the real register's JSON and this register's models, in both directions.

JSON name ↔ model field pairs (`F`) drive reading the body, writing the answer and naming fields in error
messages; the sections are described with them in specs.py. Dates are written the real way
(`2016-01-22T00:00:00.0000000Z`).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema

from frmr.integration.api import schemas as s
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m

# "flag": a yes/no the real register always writes (false when not stated); "bool" may be null.
Kind = Literal["text", "date", "int", "bool", "flag", "dict", "dictobj", "code"]

# The real register writes every date as a UTC date-time with seven fractional digits; its clients
# parse dates as date-times and refuse a bare `ГГГГ-ММ-ДД`.
DATE_SUFFIX = "T00:00:00.0000000Z"


def date_out(value: datetime.date | str | None) -> str | None:
    """A stored date as the real register writes it: `2016-01-22T00:00:00.0000000Z`."""
    if value is None:
        return None
    text = value if isinstance(value, str) else value.isoformat()
    return text[:10] + DATE_SUFFIX


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


def _entry(obj: Any, name: str) -> DictionaryEntry | None:
    return getattr(obj, name) if getattr(obj, f"{name}_id") is not None else None


def value_out(obj: Any, spec: F) -> Any:
    if spec.kind in ("dict", "dictobj"):
        entry = _entry(obj, spec.model)
        return dict_out(entry) if spec.kind == "dictobj" else code_out(entry)
    value = getattr(obj, spec.model)
    if spec.kind == "flag":
        return bool(value)
    if spec.kind == "code":
        return code_value(value)
    if isinstance(value, datetime.date):
        return date_out(value)
    return value


def fields_out(obj: Any, specs: Iterable[F]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        out[spec.json] = value_out(obj, spec)
        if spec.name_key:
            entry = _entry(obj, spec.model)
            out[spec.name_key] = entry.name if entry else None
    return out


def fields_in(body: Schema, specs: Iterable[F]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in specs:
        value = getattr(body, spec.json, None)
        if spec.kind in ("dict", "dictobj"):
            data[spec.model] = s.code_of(value)
        elif spec.kind in ("text", "code"):
            data[spec.model] = "" if value is None else str(value)
        else:
            data[spec.model] = value
    return data


def nested_in(items: Sequence[Schema] | None) -> list[dict[str, Any]]:
    """Nested items kept as JSON (`courses[]`, `services[]`): dates as `ГГГГ-ММ-ДД`, unset fields left out."""
    return [item.model_dump(mode="json", exclude_none=True) for item in items or []]


def nested_out(items: list[dict[str, Any]] | None, schema: type[Schema]) -> list[dict[str, Any]]:
    """Stored nested items with every field of the real shape, dates written the real way."""
    names = list(schema.model_fields)
    return [{name: _json_value(item.get(name)) for name in names} for item in items or []]


def _json_value(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return value
        return date_out(value)
    return value


def details_in(body: Schema, names: Iterable[str]) -> dict[str, Any]:
    dumped = body.model_dump(mode="json", include=set(names), exclude_none=True)
    return dict(dumped)


def details_out(stored: dict[str, Any] | None, names: Iterable[str]) -> dict[str, Any]:
    stored = stored or {}
    return {name: _json_value(stored.get(name)) for name in names}


# ------------------------------------------------------------------------------------------- Person

PERSON_FIELDS = (
    F("mr", "mr", "flag"),
    F("student", "student", "flag"),
    F("isMedicalWorker", "is_medical_worker", "flag"),
    F("isPharmWorker", "is_pharm_worker", "flag"),
    F("ernId", "ern_id"),
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
    F("militaryRelationId", "military_relation", "int"),
    F("phone", "phone"),
    F("email", "email"),
    F("isDisabled", "is_disabled", "bool"),
    F("disabledGroupId", "disabled_group", "int"),
    F("disabledGroupName", "disabled_group_name"),
    F("disabledDate", "disabled_date", "date"),
    F("covid19", "covid19", "bool"),
)
PERSON_NAMES = {f.model: f.json for f in PERSON_FIELDS} | {"oksm_code": "oksmId", "oksm_name": "oksmId.name"}

DOCUMENT_FIELDS = (
    F("documentId", "document_type", "dict"),
    F("serial", "series"),
    F("number", "number"),
    F("passDate", "issue_date", "date"),
    F("passOrg", "issued_by"),
    F("codeOrg", "division_code"),
)
DOCUMENT_NAMES = {f.model: f.json for f in DOCUMENT_FIELDS}

# JSON name inside `address{}` ↔ model field, for the plain text fields.
ADDRESS_TEXT = (
    ("GARguid", "gar_guid"),
    ("aoidArea", "aoid_area"),
    ("aoidStreet", "aoid_street"),
    ("houseid", "houseid"),
    ("areaName", "area_name"),
    ("prefixArea", "prefix_area"),
    ("streetName", "street_name"),
    ("prefixStreet", "prefix_street"),
    ("house", "house"),
    ("building", "building"),
    ("struct", "structure"),
    ("flat", "flat"),
    ("apartmentId", "apartment_id"),
    ("apartment", "apartment"),
    ("prefixApartment", "prefix_apartment"),
    ("microdistrictId", "microdistrict_id"),
    ("microdistrict", "microdistrict"),
    ("prefixmicrodistrict", "prefix_microdistrict"),
)
ADDRESS_NAMES = {
    "uid": "addressId",
    "address_type": "addressTypeId",
    "registration_date": "regDate",
    "region": "address.region",
    **{model: f"address.{json}" for json, model in ADDRESS_TEXT},
}


def person_data(body: s.PersonIn) -> dict[str, Any]:
    data = fields_in(body, PERSON_FIELDS)
    oksm = body.oksmId
    data["oksm_code"] = "" if oksm is None else s.code_of(oksm) or ""
    data["oksm_name"] = "" if oksm is None else (oksm.name or "")
    return data


def document_data(body: s.DocumentIn) -> dict[str, Any]:
    return fields_in(body, DOCUMENT_FIELDS)


def region_code(value: Any) -> str | None:
    code = s.code_of(value)
    # Region codes are two digits ("05"); clients send them as numbers (5).
    return code.zfill(2) if code and code.isdigit() and len(code) == 1 else code


def address_data(body: s.AddressIn) -> dict[str, Any]:
    a = body.address
    data: dict[str, Any] = {
        "address_type": s.code_of(body.addressTypeId),
        "registration_date": body.regDate,
        "region": region_code(a.region),
    }
    # Prefixes stay in their own fields: `prefixArea "г"` + `areaName "Москва"` come back as sent.
    data.update({model: getattr(a, json) for json, model in ADDRESS_TEXT})
    data["uid"] = body.addressId or str(uuid.uuid4())
    return data


def address_uid(address: m.Address) -> str:
    # Rows written in bulk (demo, imports) have no UUID: their id stands in for it.
    return address.uid or str(address.pk)


def document_out(doc: m.IdentityDocument) -> dict[str, Any]:
    return fields_out(doc, DOCUMENT_FIELDS)


def address_out(address: m.Address) -> dict[str, Any]:
    return {
        "addressId": address_uid(address),
        "regDate": date_out(address.registration_date),
        "addressTypeId": code_out(address.address_type),
        "address": {
            "region": code_out(address.region),
            **{json: getattr(address, model) for json, model in ADDRESS_TEXT},
        },
    }


def oksm_out(code: str, name: str) -> dict[str, Any] | None:
    return {"code": code_value(code), "name": name} if code else None


def person_out(person: m.Person) -> dict[str, Any]:
    """Personal data with documents and addresses (prefetched by the caller)."""
    return {
        "oid": person.oid,
        **fields_out(person, PERSON_FIELDS),
        "oksmId": oksm_out(person.oksm_code, person.oksm_name),
        "documents": [document_out(doc) for doc in person.documents.all()],
        "addresses": [address_out(address) for address in person.addresses.all()],
    }


# --------------------------------------------------------------------------------------------- Card

CARD_TEXT = (
    ("nrPmuDepartHospitalSubdivisionId", "hospital_subdivision_oid"),
    ("nrPmuDepartHospitalSubdivisionName", "hospital_subdivision_name"),
    ("roomOid", "room_oid"),
    ("roomName", "room_name"),
    ("fedPosition", "fed_position_name"),
    ("personalFileNumber", "personal_file_number"),
)
CARD_VALUES = (
    ("fedPositionId", "fed_position_code"),
    ("seniority", "seniority"),
    ("endTypeId", "end_type_code"),
    ("targeted", "targeted"),
)
CARD_DETAILS = ("periodsDate", "omsMarks")
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
    "services": "services",
    **{model: json for json, model in CARD_TEXT + CARD_VALUES},
}
ABSENCE_NAMES = {"reason": "reasonId", "begin_date": "beginDate", "end_date": "endDate"}


def card_data(body: s.CardIn, department: m.Department | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "department": department,
        "position": s.code_of(body.postId),
        "position_type": s.code_of(body.positionTypeId),
        "rate": Decimal(str(body.rate)),
        "begin_date": body.beginDate,
        "contract_number": body.contractNumber,
        "contract_date": body.contractDate,
        "service_number": body.serviceNumber,
        "services": nested_in(body.services),
        "details": details_in(body, CARD_DETAILS),
    }
    data.update({model: getattr(body, json) for json, model in CARD_TEXT + CARD_VALUES})
    return data


def absence_data(body: s.AbsenceIn) -> dict[str, Any]:
    return {"reason": s.code_of(body.reasonId), "begin_date": body.beginDate, "end_date": body.endDate}


def absence_out(absence: m.Absence) -> dict[str, Any]:
    return {
        "reasonId": code_out(absence.reason),
        "beginDate": date_out(absence.begin_date),
        "endDate": date_out(absence.end_date),
    }


def card_out(card: m.EmploymentCard) -> dict[str, Any]:
    end_reason = card.end_reason if card.end_reason_id else None
    return {
        "id": str(card.pk),
        "oid": card.organization.oid,
        "organization": card.organization.name_short,
        "nrPmuDepartId": card.department.oid,
        "nrPmuDepartName": card.department.name,
        **{json: getattr(card, model) for json, model in CARD_TEXT + CARD_VALUES},
        "contractNumber": card.contract_number,
        "contractDate": date_out(card.contract_date),
        "serviceNumber": card.service_number,
        "services": nested_out(card.services, s.ServiceIn),
        "positionTypeId": code_out(card.position_type),
        "positionTypeName": card.position_type.name,
        "postId": code_out(card.position),
        "postName": card.position.name,
        "rate": float(card.rate),
        "beginDate": date_out(card.begin_date),
        "endDate": date_out(card.end_date),
        "fireReasonId": code_out(end_reason),
        "fireReasonName": end_reason.name if end_reason else None,
        "temporaryDerelictions": [absence_out(a) for a in card.absences.all()],
        **details_out(card.details, CARD_DETAILS),
    }


# ---------------------------------------------------------------------------------- Accreditation


def accreditation_out(person: m.Person, records: list[m.AccreditationRecord]) -> dict[str, Any] | None:
    """The person's accreditation: the certificate part and its procedures (newest first).

    This register issues no paper свидетельство (periodic accreditation gives an extract), so the
    certificate's series, number and registration number are empty; the protocol is the latest one's.
    """
    if not records:
        return None
    latest = records[0]
    return {
        "id": person.oid,
        "protocolDate": date_out(latest.protocol_date),
        "protocolNumber": latest.protocol_number,
        "docSerial": "",
        "docNumber": "",
        "regNumber": latest.registry_number,
        "accreditationProcedures": [_procedure_out(person, record) for record in records],
    }


def _procedure_out(person: m.Person, record: m.AccreditationRecord) -> dict[str, Any]:
    return {
        "accreditationProcedureId": str(record.pk),
        # The real register's own spelling, with a Cyrillic «Р» (research §2.9): clients read this key.
        "accreditationРrocedureId": str(record.pk),  # i18n: the real register's key
        "registryNumber": record.registry_number,
        "secretaries": [],
        "key": [],
        "applicationId": record.application_ref,
        "lastName": person.last_name,
        "firstName": person.first_name,
        "patronymic": person.patronymic,
        "accreditationKindId": code_out(record.kind),
        "accreditationKind": record.kind.name,
        "postId": None,
        "post": None,
        "specId": code_out(record.specialty),
        "spec": record.specialty.name,
        "mpSpecId": code_out(record.specialty),
        "profStandardId": None,
        "profStandard": None,
        "institutionId": None,
        "institution": record.institution_name,
        "accreditationActivityKind": None,
        "passed": record.passed,
        "excluded": False,
        "passDate": date_out(record.pass_date),
        "endDate": date_out(record.end_date),
        "protocolDate": date_out(record.protocol_date),
        "protocolNumber": record.protocol_number,
        "educationLevel": None,
        "endDateExtension": None,
    }
