"""Request bodies and query parameters, with the real register's JSON names (research §2, §4.3).

Dates are accepted as `ГГГГ-ММ-ДД` and also as the real API's date-times (`2016-01-22T00:00:00.0000000Z`):
only the date part is used. Dictionary references are accepted as a code (`1`, `"1"`) or as
`{"code": 1, "name": "…"}`; the name is ignored, the code decides. Fields of the real API that this register
does not keep (`mr`, `student`, `oksmId`, `GARguid`, …) are accepted and ignored.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

from frmr.core.validators import validate_printable

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")


def _date_part(value: Any) -> Any:
    if isinstance(value, str):
        match = _DATE_PREFIX.match(value.strip())
        if match:
            return match.group(1)
    return value


def _printable(value: str) -> str:
    # The registry's own rule (frmr.core.validators); line breaks pass here, as the API does not know
    # which fields are multi-line: the services refuse them in single-line fields.
    try:
        validate_printable(value, multiline=True)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


ApiDate = Annotated[datetime.date, BeforeValidator(_date_part)]
Text = Annotated[str, AfterValidator(_printable), Field(max_length=500)]
OptText = Annotated[str, BeforeValidator(_none_to_empty), AfterValidator(_printable), Field(max_length=500)]
SmallInt = Annotated[int, Field(ge=0, le=1_000_000)]
# Query parameters: PostgreSQL cannot even compare text holding NUL, so control characters stop here.
QText = Annotated[str, AfterValidator(_printable), Field(max_length=200)]


class CodeName(Schema):
    """A dictionary entry as the real API sends it; only `code` is read."""

    code: int | Annotated[str, AfterValidator(_printable), Field(max_length=64)]
    name: str | None = None


# A code (1 or "1") or {code, name}.
DictRef = Annotated[
    int | Annotated[str, AfterValidator(_printable), Field(max_length=64)] | CodeName,
    Field(description="код записи справочника или {code, name}"),
]


def code_of(value: int | str | CodeName | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, CodeName):
        value = value.code
    if isinstance(value, bool):
        return str(int(value))
    return str(value).strip()


# --------------------------------------------------------------------------------------------- Person


class DocumentIn(Schema):
    documentId: DictRef = Field(description="вид документа, удостоверяющего личность (1 — паспорт РФ)")
    serial: OptText = ""
    number: Text
    passDate: ApiDate
    passOrg: OptText = ""
    codeOrg: OptText = ""


class AddressBody(Schema):
    region: DictRef = Field(description="код субъекта РФ (75 — Забайкальский край)")
    areaName: Text
    prefixArea: OptText = ""
    streetName: OptText = ""
    prefixStreet: OptText = ""
    house: OptText = ""
    building: OptText = ""
    struct: OptText = ""
    flat: OptText = ""


class AddressIn(Schema):
    addressTypeId: DictRef = Field(description="тип адреса (1 — регистрация по месту жительства)")
    regDate: ApiDate | None = None
    address: AddressBody


class PersonIn(Schema):
    lastName: Text
    firstName: Text
    patronymic: OptText = ""
    gender: int = Field(description="1 — мужской, 2 — женский")
    birthDate: ApiDate
    birthPlace: OptText = ""
    deathDate: ApiDate | None = None
    snils: Text = Field(description="СНИЛС: 11 цифр, разделители допускаются")
    inn: OptText = ""
    citizenShipId: DictRef | None = None
    phone: OptText = ""
    email: OptText = ""
    documents: list[DocumentIn] | None = Field(
        None, description="документы; при PUT список заменяет документы, внесённые вашей организацией"
    )
    addresses: list[AddressIn] | None = Field(
        None, description="адреса; при PUT список заменяет адреса, внесённые вашей организацией"
    )
    # Sent by existing clients, not kept by this register.
    mr: bool | None = None
    student: bool | None = None
    oid: QText | None = Field(None, description="игнорируется: OID работнику присваивает регистр")


# ------------------------------------------------------------------------------------------- Sections


class ProfIn(Schema):
    educationTypeId: DictRef
    institutionName: Text
    beginYear: Annotated[int, Field(ge=1900, le=2100)] | None = None
    endYear: Annotated[int, Field(ge=1900, le=2100)] | None = Field(
        None, description="год окончания; если не указан — год даты диплома"
    )
    docSerial: OptText = ""
    docNumber: Text
    docDate: ApiDate
    specName: Text
    specId: DictRef | None = None
    qualificationName: OptText = ""


class PostgraduateIn(Schema):
    educationStageId: DictRef
    institutionName: Text
    beginDate: ApiDate | None = None
    beginYear: Annotated[int, Field(ge=1900, le=2100)] | None = Field(
        None, description="если нет beginDate: началом считается 1 сентября этого года"
    )
    endDate: ApiDate | None = None
    docSerial: OptText = ""
    docNumber: OptText = ""
    docDate: ApiDate | None = None
    specId: DictRef


class ExtIn(Schema):
    profEducationKindId: DictRef = Field(description="1 — повышение квалификации, 2 — переподготовка")
    institutionName: Text
    hoursCount: SmallInt
    theme: Text
    docSerial: OptText = ""
    docNumber: Text
    docDate: ApiDate
    specId: DictRef | None = None


class CertIn(Schema):
    institutionName: Text
    certSerial: OptText = ""
    certNumber: Text
    examDate: ApiDate
    endDate: ApiDate
    specId: DictRef


class QualificationIn(Schema):
    qualifyCategoryId: DictRef
    beginDate: ApiDate
    endDate: ApiDate | None = None
    specId: DictRef | None = None
    orderNumber: OptText = ""


class NominationIn(Schema):
    nominationId: DictRef
    nomNumber: OptText = ""
    nomDate: ApiDate


class AbsenceIn(Schema):
    reasonId: DictRef
    beginDate: ApiDate
    endDate: ApiDate | None = None


class CardIn(Schema):
    oid: QText | None = Field(None, description="OID медицинской организации; если указан — равен mo")
    nrPmuDepartId: Text = Field(description="OID структурного подразделения")
    postId: DictRef
    positionTypeId: DictRef = Field(description="1 — основное, 2 — внутреннее совместительство, …")
    rate: float = Field(gt=0, le=1, allow_inf_nan=False, description="ставка: 0.25, 0.5, 0.75 или 1")
    beginDate: ApiDate
    endDate: ApiDate | None = None
    fireReasonId: DictRef | None = None
    contractNumber: OptText = ""
    contractDate: ApiDate | None = None
    serviceNumber: OptText = ""
    temporaryDerelictions: list[AbsenceIn] | None = Field(
        None, description="периоды временного отсутствия; при PUT список заменяет прежний"
    )


# ------------------------------------------------------------------------------------------- Queries


class Mo(Schema):
    mo: QText = Field(description="OID медицинской организации в ФРМО; равен организации токена")
    mr: bool | None = Field(None, description="принимается для совместимости, не влияет на ответ")


class PersonQuery(Mo):
    oid: QText | None = Field(None, description="OID работника в регистре")
    snils: QText | None = Field(None, description="СНИЛС работника")
    documentId: int | None = Field(None, ge=0, le=1_000_000, description="вид ДУЛ (1 — паспорт РФ)")
    serial: QText | None = Field(None, description="серия ДУЛ")
    number: QText | None = Field(None, description="номер ДУЛ (обязателен с documentId)")
    passDate: ApiDate | None = Field(None, description="дата выдачи ДУЛ")
    lastName: QText | None = Field(
        None, description="фамилия; для POST person/card работника, ещё не работающего у вас"
    )


class EntityQuery(PersonQuery):
    entityId: QText | None = Field(None, description="идентификатор записи раздела")


class ListQuery(Mo):
    offset: int = Field(0, ge=0, le=1_000_000_000)
    limit: int = Field(10, ge=1, le=100, description="не больше 100")


class Envelope(Schema):
    requestId: str
    errorUserMessage: str | None = None
    content: Any = None


class PagedEnvelope(Envelope):
    offset: int
    limit: int
    total: int


class FieldError(Schema):
    field: str
    message: str


class ErrorEnvelope(Envelope):
    errors: list[FieldError] = []
