"""Request bodies and query parameters, with the real register's JSON names (research §2, §4.3).

Dates are accepted as `ГГГГ-ММ-ДД` and also as the real API's date-times (`2016-01-22T00:00:00.0000000Z`):
only the date part is used. Dictionary references are accepted as a code (`1`, `"1"`) or as
`{"code": 1, "name": "…"}`; the name is ignored, the code decides. Every field of the real API is declared
here and kept; a field the real API does not have is refused by name (`extra="forbid"`), so nothing a
client sends is dropped without a word.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict

from frmr.core.validators import validate_printable
from frmr.integration.api.text import gettext_lazy

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")


def _date_part(value: Any) -> Any:
    if isinstance(value, str):
        match = _DATE_PREFIX.match(value.strip())
        if match:
            return match.group(1)
    return value


def _printable(value: str) -> str:
    # The registry's own rule (frmr.core.validators). Every text the API carries is one line (the register
    # keeps no multi-line field), so tab and line breaks are refused here too, as the document states.
    try:
        validate_printable(value)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _unprintable_class() -> str:
    """The characters validate_printable refuses in a one-line text (Unicode Cc and Cf), as one regex
    character class, so that the document states the rule it enforces."""
    parts: list[str] = []
    start = previous = -2
    for code in [*range(0xD800), *range(0xE000, 0x110000), 0x110000]:
        bad = code < 0x110000 and unicodedata.category(chr(code)) in ("Cc", "Cf")
        if bad and code == previous + 1:
            previous = code
            continue
        if start >= 0:
            parts.append(_class_char(start) + ("" if start == previous else "-" + _class_char(previous)))
        start = previous = code if bad else -2
    return "".join(parts)


def _class_char(code: int) -> str:
    # \uXXXX reads the same in ECMA-262, Python and Rust regexes; beyond the BMP the character itself.
    return f"\\u{code:04X}" if code <= 0xFFFF else chr(code)


PRINTABLE = f"^[^{_unprintable_class()}]*$"
# Stated in the document, checked by _printable: its message names the character and its position.
_PRINTABLE_SCHEMA: dict[str, Any] = {"pattern": PRINTABLE}

ApiDate = Annotated[datetime.date, BeforeValidator(_date_part)]
Text = Annotated[str, Field(max_length=500, json_schema_extra=_PRINTABLE_SCHEMA), AfterValidator(_printable)]
OptText = Annotated[
    str,
    BeforeValidator(_none_to_empty),
    Field(max_length=500, json_schema_extra=_PRINTABLE_SCHEMA),
    AfterValidator(_printable),
]
SmallInt = Annotated[int, Field(ge=0, le=1_000_000)]
# Query parameters: PostgreSQL cannot even compare text holding NUL, so control characters stop here.
QText = Annotated[str, Field(max_length=200, json_schema_extra=_PRINTABLE_SCHEMA), AfterValidator(_printable)]


class Body(Schema):
    """A request body: a field the real API does not have is refused by name, never dropped."""

    model_config = ConfigDict(extra="forbid")


# A code given as text names an entry: never empty (the service says which field must be filled).
_CODE_TEXT_SCHEMA: dict[str, Any] = {**_PRINTABLE_SCHEMA, "minLength": 1}


class CodeName(Body):
    """A dictionary entry as the real API sends it; only `code` is read."""

    code: (
        int
        | Annotated[
            str, Field(max_length=64, json_schema_extra=_CODE_TEXT_SCHEMA), AfterValidator(_printable)
        ]
    )
    name: Annotated[str, Field(json_schema_extra=_PRINTABLE_SCHEMA)] | None = None


# A code (1 or "1") or {code, name}.
DictRef = Annotated[
    int
    | Annotated[str, Field(max_length=64, json_schema_extra=_CODE_TEXT_SCHEMA), AfterValidator(_printable)]
    | CodeName,
    Field(description=gettext_lazy("код записи справочника или {code, name}")),
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

OptInt = Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647)] | None
Code = Annotated[int, Field(ge=0, le=2_147_483_647)]
OptCode = Code | None
Uid = Annotated[str, Field(max_length=36, json_schema_extra=_PRINTABLE_SCHEMA), AfterValidator(_printable)]
OptUid = Annotated[
    str,
    BeforeValidator(_none_to_empty),
    Field(max_length=36, json_schema_extra=_PRINTABLE_SCHEMA),
    AfterValidator(_printable),
]
Snils = Annotated[
    str,
    Field(
        pattern=r"^\s*\d{3}-?\d{3}-?\d{3}[\s-]?\d{2}\s*$",
        description=gettext_lazy("СНИЛС: 11 цифр, разделители допускаются; контрольное число проверяется"),
        # The control number is beyond a pattern: the format names the rule for generators and readers.
        json_schema_extra={"format": "snils"},
    ),
    AfterValidator(_printable),
]

# The registry's rule for a part of a name (validate_fio_part): Russian letters, hyphen, space, apostrophe,
# at least one letter. Stated here, checked by the service, whose message says which character is wrong.
_FIO = "[А-Яа-яЁё' -]*[А-Яа-яЁё][А-Яа-яЁё' -]*"  # i18n: regular expression
FioPart = Annotated[
    str,
    Field(min_length=1, max_length=100, json_schema_extra={"pattern": f"^{_FIO}$"}),
    AfterValidator(_printable),
]


def _required(n: int) -> Any:
    """A text that must be given: one printable line of 1 to `n` characters."""
    return Annotated[
        str,
        Field(min_length=1, max_length=n, json_schema_extra=_PRINTABLE_SCHEMA),
        AfterValidator(_printable),
    ]


def _short(n: int) -> Any:
    return Annotated[
        str,
        BeforeValidator(_none_to_empty),
        Field(max_length=n, json_schema_extra=_PRINTABLE_SCHEMA),
        AfterValidator(_printable),
    ]


class DocumentIn(Body):
    documentId: DictRef = Field(
        description=gettext_lazy("вид документа, удостоверяющего личность (1 — паспорт РФ)")
    )
    serial: _short(20) = ""  # type: ignore[valid-type]
    number: _required(40)  # type: ignore[valid-type]
    passDate: ApiDate
    passOrg: OptText = ""
    codeOrg: _short(7) = ""  # type: ignore[valid-type]


class AddressBody(Body):
    GARguid: OptUid = ""
    aoidArea: OptUid = ""
    aoidStreet: OptUid = ""
    houseid: OptUid = ""
    region: DictRef = Field(description=gettext_lazy("код субъекта РФ (75 — Забайкальский край)"))
    areaName: _required(250)  # type: ignore[valid-type]
    prefixArea: _short(50) = ""  # type: ignore[valid-type]
    streetName: _short(250) = ""  # type: ignore[valid-type]
    prefixStreet: _short(50) = ""  # type: ignore[valid-type]
    house: _short(20) = ""  # type: ignore[valid-type]
    building: _short(20) = ""  # type: ignore[valid-type]
    struct: _short(20) = ""  # type: ignore[valid-type]
    flat: _short(20) = ""  # type: ignore[valid-type]
    apartmentId: OptUid = ""
    apartment: _short(20) = ""  # type: ignore[valid-type]
    prefixApartment: _short(20) = ""  # type: ignore[valid-type]
    microdistrictId: OptUid = ""
    microdistrict: _short(250) = ""  # type: ignore[valid-type]
    prefixmicrodistrict: _short(20) = ""  # type: ignore[valid-type]


class AddressIn(Body):
    addressId: OptUid = Field(
        "", description=gettext_lazy("идентификатор адреса; в PUT person — какой адрес заменить")
    )
    addressTypeId: DictRef = Field(
        description=gettext_lazy("тип адреса (1 — регистрация по месту жительства)")
    )
    regDate: ApiDate | None = None
    address: AddressBody


class PersonIn(Body):
    mr: bool | None = None
    student: bool | None = None
    isMedicalWorker: bool | None = None
    isPharmWorker: bool | None = None
    oid: QText | None = Field(
        None, description=gettext_lazy("не меняется: OID работнику присваивает регистр")
    )
    ernId: _short(64) = ""  # type: ignore[valid-type]
    lastName: FioPart
    firstName: FioPart
    patronymic: Annotated[
        str,
        BeforeValidator(_none_to_empty),
        Field(max_length=100, json_schema_extra={"pattern": f"^({_FIO})?$"}),
        AfterValidator(_printable),
    ] = ""
    gender: int = Field(
        ge=1, le=2, description=gettext_lazy("1 — мужской, 2 — женский"), json_schema_extra={"enum": [1, 2]}
    )
    birthDate: ApiDate
    birthPlace: OptText = ""
    deathDate: ApiDate | None = None
    snils: Snils
    inn: Annotated[
        str,
        Field(
            pattern=r"^(\d{12})?$",
            description=gettext_lazy(
                "ИНН физического лица: 12 цифр с верными контрольными цифрами, или пусто"
            ),
            json_schema_extra={"format": "inn"},
        ),
        BeforeValidator(_none_to_empty),
    ] = ""
    citizenShipId: DictRef | None = None
    oksmId: CodeName | None = Field(None, description=gettext_lazy("страна (ОКСМ) {code, name}"))
    militaryRelationId: OptCode = Field(None, description=gettext_lazy("отношение к военной службе (код)"))
    phone: Annotated[  # the service also reads 8 (912) 345-67-89 and the like; this is the plain form
        str,
        BeforeValidator(_none_to_empty),
        Field(max_length=30, json_schema_extra={"pattern": r"^((\+7|8)?\d{10})?$"}),
        AfterValidator(_printable),
    ] = ""
    email: Annotated[
        str,
        BeforeValidator(_none_to_empty),
        Field(max_length=254, json_schema_extra={"format": "email"}),
        AfterValidator(_printable),
    ] = ""
    isDisabled: bool | None = None
    disabledGroupId: OptCode = None
    disabledGroupName: _short(20) = ""  # type: ignore[valid-type]
    disabledDate: ApiDate | None = None
    covid19: bool | None = None
    documents: list[DocumentIn] | None = Field(
        None,
        description=gettext_lazy(
            "документы; при PUT список заменяет документы, внесённые вашей организацией"
        ),
    )
    addresses: list[AddressIn] | None = Field(
        None, description=gettext_lazy("адреса; при PUT список заменяет адреса, внесённые вашей организацией")
    )


# ------------------------------------------------------------------------------------------- Sections

Year = Annotated[int, Field(ge=1900, le=2100)]


class TargetedIn(Body):
    """Target training, foreign education and the training contract: the same block in prof and
    postgraduate. Kept as sent (the register applies no rule to them)."""

    isTargeted: bool | None = None
    targetedRegionId: OptCode = None
    dutyMonthsPeriod: OptCode = None
    dutyYearsPeriod: OptCode = None
    isTargetTerminated: bool | None = None
    terminationReasonId: OptCode = None
    dutyInfo: str | None = Field(None, max_length=2000)
    oksmId: OptCode = None
    oksmName: str | None = Field(None, max_length=250)
    unionRepublicId: OptCode = None
    unionRepublicName: str | None = Field(None, max_length=250)
    foreignInstitution: str | None = Field(None, max_length=500)
    hasForeignCert: OptCode = None
    foreignCertSerial: str | None = Field(None, max_length=40)
    foreignCertNumber: str | None = Field(None, max_length=40)
    foreignCertDate: ApiDate | None = None
    customerContractDate: ApiDate | None = None
    customerContractNumber: str | None = Field(None, max_length=100)
    customerName: str | None = Field(None, max_length=500)
    # The real register spells this one with a Cyrillic «с».
    сustomerInn: str | None = Field(None, max_length=12)
    customerOgrn: str | None = Field(None, max_length=15)
    isMatchEmployingOrganization: bool | None = None
    employingOrganizationName: str | None = Field(None, max_length=500)
    employingOrganizationInn: str | None = Field(None, max_length=12)
    employingOrganizationOgrn: str | None = Field(None, max_length=15)
    isDuplicate: bool | None = None
    educPlace: OptCode = Field(None, description=gettext_lazy("0 — в России, иначе за рубежом"))


class CourseIn(Body):
    enrollmentRate: OptCode = None
    structuralUnitStudent: str | None = Field(None, max_length=500)
    enrollmentSpecialtyId: OptCode = None
    learningOutcomeId: OptCode = None
    protocolNumber: str | None = Field(None, max_length=100)
    dateIssueProtocol: ApiDate | None = None
    diplomaQualificationId: OptCode = None
    reasonForExpulsionId: OptCode = None
    dateDeduction: ApiDate | None = None
    transferDate: ApiDate | None = None
    dateAcademicLeave: ApiDate | None = None
    educationalOrgEndCourseId: OptCode = None
    academicDegreeId: OptCode = None
    scientificDegreeId: OptCode = None


class ProfIn(TargetedIn):
    profId: QText | None = Field(None, description=gettext_lazy("идентификатор записи; присваивает регистр"))
    isStudentEducation: bool | None = None
    hasForeignProfEducation: bool | None = None
    educationTypeId: DictRef
    beginYear: Year | None = None
    endYear: Year | None = Field(
        None, description=gettext_lazy("год окончания; если не указан — год даты диплома")
    )
    enrollmentDate: ApiDate | None = None
    courses: list[CourseIn] | None = None
    hasDiploma: bool | None = None
    docSerial: _short(20) = ""  # type: ignore[valid-type]
    docNumber: _required(40)  # type: ignore[valid-type]
    docDate: ApiDate
    institutionId: OptCode = Field(
        None, description=gettext_lazy("код справочника 1.2.643.5.1.13.13.11.1124")
    )
    institutionName: _required(500)  # type: ignore[valid-type]
    levelEducationId: OptCode = None
    levelEducation: OptCode = Field(None, description=gettext_lazy("то же, что levelEducationId"))
    formEducation: str | None = Field(None, max_length=100)
    educationProgramDurationYears: OptCode = None
    educationProgramDurationMonths: OptCode = None
    budget: bool | None = None
    specId: DictRef | None = Field(None, description=gettext_lazy("специальность; нужна specId или specName"))
    specName: _short(250) = ""  # type: ignore[valid-type]
    qualificationId: OptCode = Field(
        None, description=gettext_lazy("код справочника 1.2.643.5.1.13.13.11.1075")
    )
    qualificationName: _short(250) = ""  # type: ignore[valid-type]


class PostgraduateIn(TargetedIn):
    postgraduateId: QText | None = Field(
        None, description=gettext_lazy("идентификатор записи; присваивает регистр")
    )
    educationStageId: DictRef
    educationStageName: str | None = Field(
        None, max_length=250, description=gettext_lazy("берётся из справочника")
    )
    isStudying: bool | None = None
    institutionId: OptCode = None
    institutionName: _required(500)  # type: ignore[valid-type]
    beginDate: ApiDate | None = None
    beginYear: Year | None = Field(
        None, description=gettext_lazy("если нет beginDate: началом считается 1 сентября")
    )
    endDate: ApiDate | None = None
    docSerial: _short(20) = ""  # type: ignore[valid-type]
    docNumber: _short(40) = ""  # type: ignore[valid-type]
    docDate: ApiDate | None = None
    academicDegreeId: OptCode = None
    academicDegreeName: str | None = Field(None, max_length=250)
    scienceBranchId: OptCode = None
    scienceBranchName: str | None = Field(None, max_length=250)
    specId: DictRef
    specName: str | None = Field(None, max_length=250, description=gettext_lazy("берётся из справочника"))
    doctSpecId: OptCode = None
    doctSpecName: str | None = Field(None, max_length=250)
    additionSpecId: OptCode = None
    additionSpecName: str | None = Field(None, max_length=250)


class ExtIn(Body):
    extId: QText | None = Field(None, description=gettext_lazy("идентификатор записи; присваивает регистр"))
    profEducationKindId: DictRef = Field(
        description=gettext_lazy("1 — повышение квалификации, 2 — переподготовка")
    )
    profEducationKindName: str | None = Field(
        None, max_length=250, description=gettext_lazy("берётся из справочника")
    )
    institutionId: Code = Field(
        description=gettext_lazy("образовательная организация, код справочника 1.2.643.5.1.13.13.11.1124")
    )
    institutionName: _required(500)  # type: ignore[valid-type]
    hoursCount: int = Field(ge=1, le=10000, description=gettext_lazy("количество часов, от 1 до 10000"))
    theme: _required(500)  # type: ignore[valid-type]
    docSerial: _short(20) = ""  # type: ignore[valid-type]
    docNumber: _required(40)  # type: ignore[valid-type]
    docDate: ApiDate
    specId: DictRef | None = None
    specName: str | None = Field(None, max_length=250, description=gettext_lazy("берётся из справочника"))


class CertIn(Body):
    certId: QText | None = Field(None, description=gettext_lazy("идентификатор записи; присваивает регистр"))
    institutionId: Code = Field(
        description=gettext_lazy("выдавшая организация, код справочника 1.2.643.5.1.13.13.11.1124")
    )
    institutionName: _required(500)  # type: ignore[valid-type]
    certSerial: _short(20) = ""  # type: ignore[valid-type]
    certNumber: _required(40)  # type: ignore[valid-type]
    examDate: ApiDate
    passDate: ApiDate | None = None
    endDate: ApiDate
    specId: DictRef
    specName: str | None = Field(None, max_length=250, description=gettext_lazy("берётся из справочника"))
    endDateExtension: bool | None = None


class QualificationIn(Body):
    qualificationId: QText | None = Field(
        None, description=gettext_lazy("идентификатор записи; присваивает регистр")
    )
    qulificationId: QText | None = Field(
        None, description=gettext_lazy("то же (так пишут некоторые клиенты)")
    )
    qualifyCategoryId: DictRef
    qualifyCategoryName: str | None = Field(
        None, max_length=250, description=gettext_lazy("берётся из справочника")
    )
    beginDate: ApiDate
    endDate: ApiDate | None = None
    specId: DictRef | None = None
    specName: str | None = Field(None, max_length=250, description=gettext_lazy("берётся из справочника"))
    fedPostId: OptCode = None
    fedPostName: _short(250) = ""  # type: ignore[valid-type]
    postId: OptCode = None
    postName: _short(250) = ""  # type: ignore[valid-type]
    orderNumber: _short(40) = ""  # type: ignore[valid-type]
    endDateExtension: bool | None = None


class NominationIn(Body):
    entityId: QText | None = Field(
        None, description=gettext_lazy("идентификатор записи; присваивает регистр")
    )
    nominationId: DictRef = Field(description=gettext_lazy("вид награды (код)"))
    nominationName: str | None = Field(
        None, max_length=250, description=gettext_lazy("берётся из справочника")
    )
    nomNumber: _short(40) = ""  # type: ignore[valid-type]
    nomDate: ApiDate


class ProfCourseIn(Body):
    docDate: ApiDate | None = None
    profCourseId: OptCode = None
    profCourseName: str | None = Field(None, max_length=500)


class CommonIn(Body):
    commonId: QText | None = Field(
        None, description=gettext_lazy("идентификатор записи; присваивает регистр")
    )
    institution: _required(500)  # type: ignore[valid-type]
    docSerial: _short(20) = ""  # type: ignore[valid-type]
    docNumber: _required(40)  # type: ignore[valid-type]
    docDate: ApiDate
    profCourseSet: list[ProfCourseIn] | None = None


class OrganizationIn(Body):
    entityId: QText | None = Field(
        None, description=gettext_lazy("идентификатор записи; присваивает регистр")
    )
    organizationId: (
        Code | _required(100)  # type: ignore[valid-type]
    ) = Field(description=gettext_lazy("организация (код)"))
    beginDate: ApiDate
    endDate: ApiDate | None = None


class MilitaryServiceIn(Body):
    id: QText | None = Field(None, description=gettext_lazy("идентификатор записи; присваивает регистр"))
    militaryService: bool = Field(description=gettext_lazy("проходил ли военную службу"))
    beginDate: ApiDate | None = None
    endDate: ApiDate | None = None


class AbsenceIn(Body):
    reasonId: DictRef
    beginDate: ApiDate
    endDate: ApiDate | None = None


class ServiceIn(Body):
    code: Code
    name: str | None = Field(None, max_length=500)


class CardIn(Body):
    id: QText | None = Field(None, description=gettext_lazy("идентификатор карточки; присваивает регистр"))
    oid: QText | None = Field(
        None, description=gettext_lazy("OID медицинской организации; если указан — равен mo")
    )
    organization: str | None = Field(
        None, max_length=500, description=gettext_lazy("название; берётся из ФРМО")
    )
    nrPmuDepartId: _required(100) = Field(description=gettext_lazy("OID структурного подразделения"))  # type: ignore[valid-type]
    nrPmuDepartName: str | None = Field(None, max_length=500, description=gettext_lazy("берётся из ФРМО"))
    nrPmuDepartHospitalSubdivisionId: _short(100) = ""  # type: ignore[valid-type]
    nrPmuDepartHospitalSubdivisionName: _short(250) = ""  # type: ignore[valid-type]
    roomOid: _short(100) = ""  # type: ignore[valid-type]
    roomName: _short(250) = ""  # type: ignore[valid-type]
    contractNumber: _short(40) = ""  # type: ignore[valid-type]
    contractDate: ApiDate | None = None
    serviceNumber: _short(40) = ""  # type: ignore[valid-type]
    fedPositionId: OptCode = Field(
        None, description=gettext_lazy("должность, справочник 1.2.643.5.1.13.13.11.1002")
    )
    fedPosition: _short(250) = ""  # type: ignore[valid-type]
    seniority: OptCode = None
    services: list[ServiceIn] | None = None
    positionTypeId: DictRef = Field(
        description=gettext_lazy("1 — основное, 2 — внутреннее совместительство, …")
    )
    positionTypeName: str | None = Field(
        None, max_length=250, description=gettext_lazy("берётся из справочника")
    )
    postId: DictRef
    postName: str | None = Field(None, max_length=250, description=gettext_lazy("берётся из справочника"))
    rate: float = Field(
        gt=0,
        le=1,
        allow_inf_nan=False,
        description=gettext_lazy("ставка: 0.25, 0.5, 0.75 или 1"),
        json_schema_extra={"enum": [0.25, 0.5, 0.75, 1]},
    )
    beginDate: ApiDate
    endDate: ApiDate | None = None
    endTypeId: OptCode = None
    fireReasonId: DictRef | None = None
    targeted: bool | None = None
    temporaryDerelictions: list[AbsenceIn] | None = Field(
        None, description=gettext_lazy("периоды временного отсутствия; при PUT список заменяет прежний")
    )
    personalFileNumber: _short(40) = ""  # type: ignore[valid-type]
    periodsDate: list[dict[str, Any]] | None = Field(
        None, description=gettext_lazy("сведения ОМС по периодам; хранятся как есть")
    )
    omsMarks: dict[str, Any] | None = Field(None, description=gettext_lazy("отметки ОМС; хранятся как есть"))


# ------------------------------------------------------------------------------------------- Queries

QSnils = Annotated[
    str,
    # Checked by the person lookup, whose message shows the expected form.
    Field(json_schema_extra={"format": "snils", "pattern": r"^( *\d{3}-?\d{3}-?\d{3}[ -]?\d{2} *)?$"}),
]


class Mo(Schema):
    mo: QText | None = Field(
        None,
        description=gettext_lazy(
            "OID медицинской организации в ФРМО; если указан — равен организации токена, "
            "если нет — берётся организация токена"
        ),
    )
    mr: bool | None = Field(
        None, description=gettext_lazy("принимается для совместимости, не влияет на ответ")
    )


class PersonQuery(Mo):
    oid: QText | None = Field(None, description=gettext_lazy("OID работника в регистре"))
    snils: QSnils | None = Field(None, description=gettext_lazy("СНИЛС работника"))
    documentId: int | None = Field(
        None,
        ge=0,
        le=1_000_000,
        description=gettext_lazy("вид ДУЛ (1 — паспорт РФ); вместе с ним обязателен number"),
    )
    serial: QText | None = Field(None, description=gettext_lazy("серия ДУЛ"))
    number: QText | None = Field(None, description=gettext_lazy("номер ДУЛ (обязателен с documentId)"))
    passDate: ApiDate | None = Field(None, description=gettext_lazy("дата выдачи ДУЛ"))
    lastName: QText | None = Field(
        None, description=gettext_lazy("фамилия; для POST person/card работника, ещё не работающего у вас")
    )


class EntityQuery(PersonQuery):
    entityId: QText | None = Field(None, description=gettext_lazy("идентификатор записи раздела"))


RecordId = Annotated[
    str,
    # Checked by lookup.entity_id, whose message says what an entityId is.
    Field(
        description=gettext_lazy("идентификатор записи раздела (его вернул POST или GET)"),
        json_schema_extra={"pattern": r"^ *\d{1,18} *$"},
    ),
]


class RecordQuery(PersonQuery):
    """A section's list, or one record of it by `entityId`."""

    entityId: RecordId | None = None


class RecordRequiredQuery(PersonQuery):
    """Changing or removing one record of a section: `entityId` names it."""

    entityId: RecordId


class ListQuery(Mo):
    offset: int = Field(0, ge=0, le=1_000_000_000)
    limit: int = Field(10, ge=1, le=100, description=gettext_lazy("не больше 100"))


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


class Written(Schema):
    """What a write answers: the identifier to read, change or remove the record by (`?entityId=`)."""

    entityId: str = Field(min_length=1)


class PersonWritten(Written):
    oid: str = Field(min_length=1, description=gettext_lazy("OID работника в регистре"))


class WrittenEnvelope(Envelope):
    errorUserMessage: None = None
    content: Written


class PersonWrittenEnvelope(Envelope):
    errorUserMessage: None = None
    content: PersonWritten


class ErrorEnvelope(Envelope):
    """The real register's error body (timestamp, code, reasonPhrase, message) and this register's
    per-field details."""

    errorUserMessage: str
    content: None = None
    timestamp: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$",
        description=gettext_lazy("время ответа, UTC: 2026-01-22T10:15:00.0000000Z"),
    )
    code: int = Field(ge=400, le=599, description=gettext_lazy("HTTP-статус"))
    reasonPhrase: str = Field(description=gettext_lazy("название статуса (Not Found, …)"))
    message: str = Field(min_length=1, description=gettext_lazy("что не так и что сделать, по-русски"))
    errors: list[FieldError] = []


def record_links(resource: str) -> dict[str, Any]:
    """OpenAPI links from a create operation to reading, changing and removing what it created."""
    person = {
        "mo": "$request.query.mo",
        "snils": "$request.query.snils",
        "entityId": "$response.body#/content/entityId",
    }
    links = {
        verb: {"operationId": f"{resource}_{verb}", "parameters": person} for verb in ("get", "put", "delete")
    }
    return {"responses": {200: {"links": links}}}


def person_links() -> dict[str, Any]:
    by_oid = {"mo": "$request.query.mo", "oid": "$response.body#/content/oid"}
    links = {
        name: {"operationId": operation, "parameters": by_oid}
        for name, operation in (
            ("get", "person_get"),
            ("put", "person_put"),
            ("delete", "person_delete"),
            ("full", "person_full_get"),
        )
    }
    return {"responses": {200: {"links": links}}}
