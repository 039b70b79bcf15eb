"""What the GET operations answer, field for field as the real register's models (research §2).

These schemas only describe: the views build their answers with mapping.py and specs.py and return them
as they are, and the OpenAPI document carries these shapes so that clients (and schemathesis's response
conformance check) hold the answers to them. Every key is always present (required), possibly `null`
where the real model allows it. Keys this register adds beside the real ones (the card's
`fireReasonName`, the qualification's `orderNumber`, …) are declared too; a client that does not know
them ignores them, as both real clients do.

Changing an answer in mapping.py or specs.py means changing its schema here:
tests/frmr/integration/api/test_real_client.py validates every section's answer against the
served document, and schemathesis does on every run.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema

from frmr.integration.api import schemas as s
from frmr.integration.api.text import gettext_lazy

# The real register writes dates as UTC midnight with seven fractional digits (mapping.date_out).
DateTime = Annotated[
    str,
    Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T00:00:00\.0000000Z$",
        description=gettext_lazy("дата: 2016-01-22T00:00:00.0000000Z"),
        json_schema_extra={"format": "date-time"},
    ),
]
OptDateTime = DateTime | None
# Dictionary codes: numbers, as the real API writes them (every shipped dictionary's codes are numbers).
# A code that is not a number (an entry an operator added by hand) is written as text (mapping.code_value).
DictCode = Annotated[
    int | str,
    Field(
        description=gettext_lazy("код записи справочника: число (текстом — если код в справочнике не число)")
    ),
]
OptDictCode = DictCode | None
Id = Annotated[str, Field(min_length=1, description=gettext_lazy("идентификатор записи (для ?entityId=)"))]


class Answer(Schema):
    pass


class CodeNameOut(Answer):
    code: DictCode
    name: str | None


# ------------------------------------------------------------------------------------------- Person


class DocumentOut(Answer):
    documentId: OptDictCode
    serial: str | None
    number: str
    passDate: DateTime
    passOrg: str | None
    codeOrg: str | None


class AddressBodyOut(Answer):
    GARguid: str | None
    aoidArea: str | None
    aoidStreet: str | None
    houseid: str | None
    region: DictCode
    areaName: str | None
    prefixArea: str | None
    streetName: str | None
    prefixStreet: str | None
    house: str | None
    building: str | None
    struct: str | None
    flat: str | None
    apartmentId: str | None
    apartment: str | None
    prefixApartment: str | None
    microdistrictId: str | None
    microdistrict: str | None
    prefixmicrodistrict: str | None


class AddressOut(Answer):
    addressId: str
    regDate: OptDateTime
    addressTypeId: DictCode
    address: AddressBodyOut


class PersonOut(Answer):
    oid: str
    mr: bool
    student: bool
    isMedicalWorker: bool
    isPharmWorker: bool
    ernId: str | None
    lastName: str
    firstName: str
    patronymic: str | None
    gender: int = Field(json_schema_extra={"enum": [1, 2]})
    birthDate: DateTime
    birthPlace: str | None
    deathDate: OptDateTime
    snils: str
    inn: str | None
    citizenShipId: CodeNameOut | None
    militaryRelationId: int | None
    phone: str | None
    email: str | None
    isDisabled: bool | None
    disabledGroupId: int | None
    disabledGroupName: str | None
    disabledDate: OptDateTime
    covid19: bool | None
    oksmId: CodeNameOut | None
    documents: list[DocumentOut]
    addresses: list[AddressOut]


# ------------------------------------------------------------------------------------------ Sections


class TargetedOut(Answer):
    """Target training, foreign education and the training contract, as sent (null when not sent)."""

    isTargeted: bool | None
    targetedRegionId: int | None
    dutyMonthsPeriod: int | None
    dutyYearsPeriod: int | None
    isTargetTerminated: bool | None
    terminationReasonId: int | None
    dutyInfo: str | None
    oksmId: int | None
    oksmName: str | None
    unionRepublicId: int | None
    unionRepublicName: str | None
    foreignInstitution: str | None
    hasForeignCert: int | None
    foreignCertSerial: str | None
    foreignCertNumber: str | None
    foreignCertDate: OptDateTime
    customerContractDate: OptDateTime
    customerContractNumber: str | None
    customerName: str | None
    сustomerInn: str | None  # the real key starts with a Cyrillic «с»
    customerOgrn: str | None
    isMatchEmployingOrganization: bool | None
    employingOrganizationName: str | None
    employingOrganizationInn: str | None
    employingOrganizationOgrn: str | None
    isDuplicate: bool | None
    educPlace: int | None


class CourseOut(Answer):
    enrollmentRate: int | None
    structuralUnitStudent: str | None
    enrollmentSpecialtyId: int | None
    learningOutcomeId: int | None
    protocolNumber: str | None
    dateIssueProtocol: OptDateTime
    diplomaQualificationId: int | None
    reasonForExpulsionId: int | None
    dateDeduction: OptDateTime
    transferDate: OptDateTime
    dateAcademicLeave: OptDateTime
    educationalOrgEndCourseId: int | None
    academicDegreeId: int | None
    scientificDegreeId: int | None


class ProfOut(TargetedOut):
    profId: Id
    educationTypeId: CodeNameOut
    institutionId: int | None = Field(description=gettext_lazy("код справочника 1.2.643.5.1.13.13.11.1124"))
    institutionName: str
    beginYear: int | None
    endYear: int
    enrollmentDate: OptDateTime
    docSerial: str | None
    docNumber: str
    docDate: DateTime
    levelEducationId: int | None
    specName: str | None
    specId: OptDictCode
    qualificationId: int | None
    qualificationName: str | None
    courses: list[CourseOut]
    isStudentEducation: bool | None
    hasForeignProfEducation: bool | None
    hasDiploma: bool | None
    formEducation: str | None
    educationProgramDurationYears: int | None
    educationProgramDurationMonths: int | None
    budget: bool | None


class PostgraduateOut(TargetedOut):
    postgraduateId: Id
    educationStageId: DictCode
    educationStageName: str | None
    institutionId: int | None
    institutionName: str
    beginDate: DateTime
    beginYear: int
    endDate: OptDateTime
    docSerial: str | None
    docNumber: str | None
    docDate: OptDateTime
    specId: DictCode
    specName: str | None
    isStudying: bool | None
    academicDegreeId: int | None
    academicDegreeName: str | None
    scienceBranchId: int | None
    scienceBranchName: str | None
    doctSpecId: int | None
    doctSpecName: str | None
    additionSpecId: int | None
    additionSpecName: str | None
    educPlace: int  # always written: 0 (in Russia) when not sent


class ExtOut(Answer):
    extId: Id
    profEducationKindId: DictCode
    profEducationKindName: str | None
    institutionId: int | None = Field(description=gettext_lazy("код справочника 1.2.643.5.1.13.13.11.1124"))
    institutionName: str
    hoursCount: int
    theme: str
    docSerial: str | None
    docNumber: str
    docDate: DateTime
    specId: OptDictCode
    specName: str | None


class CertOut(Answer):
    certId: Id
    institutionId: int | None = Field(description=gettext_lazy("код справочника 1.2.643.5.1.13.13.11.1124"))
    institutionName: str
    certSerial: str | None
    certNumber: str
    examDate: DateTime
    passDate: OptDateTime
    endDate: DateTime
    specId: DictCode
    specName: str | None
    endDateExtension: bool | None


class QualificationOut(Answer):
    qualificationId: Id
    qulificationId: Id = Field(
        description=gettext_lazy("то же, что qualificationId (так пишут некоторые клиенты)")
    )
    qualifyCategoryId: DictCode
    qualifyCategoryName: str | None
    beginDate: DateTime
    endDate: OptDateTime
    specId: OptDictCode
    specName: str | None
    fedPostId: int | None
    fedPostName: str | None
    postId: int | None
    postName: str | None
    orderNumber: str | None
    endDateExtension: bool | None


class NominationOut(Answer):
    entityId: Id
    nominationId: DictCode = Field(description=gettext_lazy("вид награды (код)"))
    nominationName: str | None
    nomNumber: str
    nomDate: DateTime


class OrganizationOut(Answer):
    entityId: Id
    organizationId: int | str = Field(description=gettext_lazy("организация (код, как прислан)"))
    beginDate: DateTime
    endDate: OptDateTime


class ProfCourseOut(Answer):
    docDate: OptDateTime
    profCourseId: int | None
    profCourseName: str | None


class CommonOut(Answer):
    commonId: Id
    institution: str
    docSerial: str | None
    docNumber: str
    docDate: DateTime
    profCourseSet: list[ProfCourseOut]


class MilitaryServiceOut(Answer):
    id: Id
    militaryService: bool
    beginDate: OptDateTime
    endDate: OptDateTime


# --------------------------------------------------------------------------------------------- Card


class ServiceOut(Answer):
    code: int
    name: str | None


class AbsenceOut(Answer):
    reasonId: DictCode
    beginDate: DateTime
    endDate: OptDateTime


class CardOut(Answer):
    id: Id
    oid: str
    organization: str
    nrPmuDepartId: str
    nrPmuDepartName: str | None
    nrPmuDepartHospitalSubdivisionId: str | None
    nrPmuDepartHospitalSubdivisionName: str | None
    roomOid: str | None
    roomName: str | None
    fedPositionId: int | None
    fedPosition: str | None
    seniority: int | None
    endTypeId: int | None
    targeted: bool | None
    personalFileNumber: str | None
    contractNumber: str
    contractDate: OptDateTime
    serviceNumber: str
    services: list[ServiceOut]
    positionTypeId: DictCode
    positionTypeName: str | None
    postId: DictCode
    postName: str | None
    rate: float
    beginDate: DateTime
    endDate: OptDateTime
    fireReasonId: OptDictCode
    fireReasonName: str | None
    temporaryDerelictions: list[AbsenceOut]
    periodsDate: list[dict[str, Any]] | None = Field(
        description=gettext_lazy("сведения ОМС по периодам, как присланы")
    )
    omsMarks: dict[str, Any] | None = Field(description=gettext_lazy("отметки ОМС, как присланы"))


# ---------------------------------------------------------------------------------- Accreditation


class ProcedureOut(Answer):
    accreditationProcedureId: Id
    # The real register's own spelling, with a Cyrillic «Р» (research §2.9).
    accreditationРrocedureId: Id
    registryNumber: str | None
    secretaries: list[dict[str, Any]]
    key: list[dict[str, Any]]
    applicationId: str | None
    lastName: str
    firstName: str
    patronymic: str | None
    accreditationKindId: DictCode
    accreditationKind: str | None
    postId: int | None
    post: str | None
    specId: DictCode
    spec: str | None
    mpSpecId: DictCode
    profStandardId: int | None
    profStandard: str | None
    institutionId: int | None
    institution: str | None
    accreditationActivityKind: str | None
    passed: bool
    excluded: bool
    passDate: OptDateTime
    endDate: OptDateTime
    protocolDate: OptDateTime
    protocolNumber: str | None
    educationLevel: int | None
    endDateExtension: bool | None


class AccreditationOut(Answer):
    id: Id
    protocolDate: OptDateTime
    protocolNumber: str | None
    docSerial: str | None
    docNumber: str | None
    regNumber: str | None
    accreditationProcedures: list[ProcedureOut]


class FullPersonOut(PersonOut):
    educationCommon: CommonOut | None
    educationProf: list[ProfOut]
    personPostgraduate: list[PostgraduateOut]
    educationPostgraduate: list[PostgraduateOut] = Field(
        description=gettext_lazy("то же, что personPostgraduate")
    )
    personExt: list[ExtOut]
    educationExt: list[ExtOut] = Field(description=gettext_lazy("то же, что personExt"))
    educationCert: list[CertOut]
    personQualification: list[QualificationOut]
    personNomination: list[NominationOut]
    personOrganization: list[OrganizationOut]
    personCard: list[CardOut]
    personAccreditation: AccreditationOut | None


# ---------------------------------------------------------------------------------------- Envelopes


class PersonEnvelope(s.Envelope):
    errorUserMessage: None = None
    content: PersonOut


class PersonPageEnvelope(s.PagedEnvelope):
    errorUserMessage: None = None
    content: list[PersonOut]


class FullPersonEnvelope(s.Envelope):
    errorUserMessage: None = None
    content: FullPersonOut


class AccreditationEnvelope(s.Envelope):
    errorUserMessage: None = None
    content: AccreditationOut | None = Field(
        description=gettext_lazy("null — у работника нет сведений об аккредитации")
    )


class CardEnvelope(s.Envelope):
    errorUserMessage: None = None
    content: list[CardOut] | CardOut = Field(
        description=gettext_lazy("список карточек; с entityId — одна карточка")
    )


SECTION_RECORDS: dict[str, type[Answer]] = {
    "common": CommonOut,
    "prof": ProfOut,
    "postgraduate": PostgraduateOut,
    "ext": ExtOut,
    "cert": CertOut,
    "qualification": QualificationOut,
    "nomination": NominationOut,
    "organization": OrganizationOut,
    "militaryService": MilitaryServiceOut,
}


def section_envelope(resource: str, *, single: bool) -> type[s.Envelope]:
    """The GET answer of a section: a list (one record with `entityId`), or for a 0..1 section the record
    or null."""
    record = SECTION_RECORDS[resource]
    name = f"{record.__name__.removesuffix('Out')}Envelope"
    if single:
        content: Any = (record | None, Field(description=gettext_lazy("запись раздела; null — сведений нет")))
    else:
        listed = gettext_lazy("список записей; с entityId — одна запись")
        content = (list[record] | record, Field(description=listed))  # type: ignore[valid-type]
    namespace = {
        "__annotations__": {"errorUserMessage": None, "content": content[0]},
        "__module__": __name__,
        "errorUserMessage": None,
        "content": content[1],
    }
    return type(name, (s.Envelope,), namespace)
