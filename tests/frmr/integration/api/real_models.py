"""The real ФРМР integration API's shapes, written field for field from the two public clients.

Source: parusrx/parusrx `src/Services/Egisz/Frmr/Frmr.Domain/Models/*.cs` (C# records; a C# value type
without `?` — bool, int, DateTime — cannot be null, so it is typed here without `None`), with the keys
and types FourAJ/integration-with-FRMR `frmr_api/endpoints/FRMR/*/schemas.py` uses where the two differ
and the issue chose that one (`person/full`'s `personPostgraduate`/`personExt`, the accreditation
procedure's `specId` + `spec` text, `postId`/`post`). Written from those sources, not from this
register's code, so that a test against them shows what a real client would make of our answers.

Every field is required to be *present* (no defaults): a missing key is as much a difference as a
wrong type. Unknown keys are ignored, as both clients ignore them.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict


class Real(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CodeName(Real):
    code: int
    name: str | None


class PersonDocument(Real):
    documentId: int
    serial: str | None
    number: str
    passDate: datetime.datetime
    passOrg: str | None
    codeOrg: str | None


class Address(Real):
    GARguid: str | None
    aoidArea: str | None
    aoidStreet: str | None
    houseid: str | None
    region: int
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


class AddressDescription(Real):
    addressId: str | None
    regDate: datetime.datetime | None
    addressTypeId: int
    address: Address


class Person(Real):
    mr: bool
    student: bool
    isMedicalWorker: bool
    isPharmWorker: bool
    oid: str | None
    ernId: str | None
    lastName: str
    firstName: str
    patronymic: str | None
    gender: int
    birthDate: datetime.datetime
    deathDate: datetime.datetime | None
    birthPlace: str | None
    snils: str | None
    inn: str | None
    citizenShipId: CodeName | None
    oksmId: CodeName | None
    militaryRelationId: int | None
    phone: str | None
    email: str | None
    isDisabled: bool | None
    disabledGroupId: int | None
    disabledGroupName: str | None
    disabledDate: datetime.datetime | None
    covid19: bool | None
    documents: list[PersonDocument] | None
    addresses: list[AddressDescription] | None


class Course(Real):
    enrollmentRate: int | None
    structuralUnitStudent: str | None
    enrollmentSpecialtyId: int | None
    learningOutcomeId: int | None
    protocolNumber: str | None
    dateIssueProtocol: datetime.datetime | None
    diplomaQualificationId: int | None
    reasonForExpulsionId: int | None
    dateDeduction: datetime.datetime | None
    transferDate: datetime.datetime | None
    dateAcademicLeave: datetime.datetime | None
    educationalOrgEndCourseId: int | None
    academicDegreeId: int | None
    scientificDegreeId: int | None


class Targeted(Real):
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
    foreignCertDate: datetime.datetime | None
    customerContractDate: datetime.datetime | None
    customerContractNumber: str | None
    customerName: str | None
    сustomerInn: str | None  # the real key starts with a Cyrillic «с»
    customerOgrn: str | None
    isMatchEmployingOrganization: bool | None
    employingOrganizationName: str | None
    employingOrganizationInn: str | None
    employingOrganizationOgrn: str | None


class EducationProf(Targeted):
    isStudentEducation: bool | None
    profId: str | None
    isDuplicate: bool | None
    educPlace: int | None
    educationTypeId: CodeName | None
    beginYear: int | None
    enrollmentDate: datetime.datetime | None
    courses: list[Course] | None
    hasDiploma: bool | None
    docSerial: str | None
    docNumber: str
    docDate: datetime.datetime | None
    institutionId: int | None
    institutionName: str | None
    levelEducationId: int | None
    formEducation: str | None
    educationProgramDurationYears: int | None
    educationProgramDurationMonths: int | None
    budget: bool | None
    specId: int | None
    specName: str | None
    qualificationId: int | None
    qualificationName: str | None


class EducationPostgraduate(Targeted):
    postgraduateId: str | None
    isDuplicate: bool | None
    educPlace: int
    educationStageId: int
    educationStageName: str | None
    isStudying: bool | None
    beginYear: int
    docSerial: str | None
    docNumber: str | None
    docDate: datetime.datetime | None
    institutionId: int | None
    institutionName: str | None
    academicDegreeId: int | None
    academicDegreeName: str | None
    scienceBranchId: int | None
    scienceBranchName: str | None
    specId: int | None
    specName: str | None
    doctSpecId: int | None
    doctSpecName: str | None
    additionSpecId: int | None
    additionSpecName: str | None


class EducationExt(Real):
    extId: str | None
    profEducationKindId: int
    profEducationKindName: str | None
    institutionId: int
    institutionName: str | None
    hoursCount: int
    theme: str
    docSerial: str | None
    docNumber: str
    docDate: datetime.datetime
    specId: int | None
    specName: str | None


class EducationCert(Real):
    certId: str | None
    institutionId: int
    institutionName: str | None
    certSerial: str | None
    certNumber: str
    examDate: datetime.datetime
    passDate: datetime.datetime | None
    endDate: datetime.datetime | None
    specId: int
    specName: str | None


class PersonQualification(Real):
    # parusrx spells the id `qulificationId`, FourAJ `qualificationId`: both must be there.
    qulificationId: str | None
    qualificationId: str
    qualifyCategoryId: int
    qualifyCategoryName: str | None
    beginDate: datetime.datetime
    endDate: datetime.datetime | None
    specId: int | None
    specName: str | None
    fedPostId: int | None
    fedPostName: str | None
    postId: int | None
    postName: str | None
    endDateExtension: bool | None


class PersonNomination(Real):
    nominationId: int
    nomNumber: str
    nomDate: datetime.datetime
    entityId: str | None


class PersonOrganization(Real):
    organizationId: int
    beginDate: datetime.datetime
    endDate: datetime.datetime | None
    entityId: str | None


class ProfCourse(Real):
    docDate: datetime.datetime | None
    profCourseId: int | None
    profCourseName: str | None


class EducationCommon(Real):
    commonId: str | None
    institution: str
    docSerial: str | None
    docNumber: str
    docDate: datetime.datetime
    profCourseSet: list[ProfCourse] | None


class MilitaryService(Real):
    id: str | None
    militaryService: bool
    beginDate: datetime.datetime | None
    endDate: datetime.datetime | None


class Service(Real):
    code: int
    name: str | None


class TemporaryDereliction(Real):
    reasonId: int
    beginDate: datetime.datetime
    endDate: datetime.datetime | None


class PersonCard(Real):
    oid: str
    id: str | None
    organization: str
    nrPmuDepartId: str
    nrPmuDepartName: str | None
    nrPmuDepartHospitalSubdivisionId: str | None
    nrPmuDepartHospitalSubdivisionName: str | None
    roomOid: str | None
    roomName: str | None
    contractNumber: str
    contractDate: datetime.datetime | None
    serviceNumber: str
    fedPositionId: int | None
    fedPosition: str | None
    seniority: int | None
    services: list[Service]
    positionTypeId: int
    positionTypeName: str | None
    postId: int
    postName: str | None
    rate: float | None
    beginDate: datetime.datetime
    endDate: datetime.datetime | None
    endTypeId: int | None
    fireReasonId: int | None
    targeted: bool | None
    temporaryDerelictions: list[TemporaryDereliction] | None
    personalFileNumber: str | None


class AccreditationProcedure(Real):
    accreditationРrocedureId: str | None  # the real key has a Cyrillic «Р»
    registryNumber: str | None
    secretaries: list[dict[str, object]] | None
    key: list[dict[str, object]] | None
    applicationId: str | None
    firstName: str | None
    patronymic: str | None
    lastName: str | None
    accreditationKindId: int | None
    accreditationKind: str | None
    postId: int | None
    post: str | None
    specId: int | None
    spec: str | None
    mpSpecId: int | None
    profStandardId: int | None
    profStandard: str | None
    institutionId: int | None
    institution: str | None
    accreditationActivityKind: str | None
    passed: bool
    excluded: bool
    passDate: datetime.datetime | None
    endDate: datetime.datetime | None
    protocolDate: datetime.datetime | None
    protocolNumber: str | None
    educationLevel: int | None
    endDateExtension: bool | None


class PersonAccreditation(Real):
    id: str | None
    protocolDate: datetime.datetime | None
    protocolNumber: str | None
    docSerial: str | None
    docNumber: str | None
    regNumber: str | None
    accreditationProcedures: list[AccreditationProcedure] | None


class FullPerson(Person):
    personCard: list[PersonCard] | None
    educationCommon: EducationCommon | None
    personAccreditation: PersonAccreditation | None
    educationExt: list[EducationExt] | None
    personExt: list[EducationExt] | None
    educationProf: list[EducationProf] | None
    educationPostgraduate: list[EducationPostgraduate] | None
    personPostgraduate: list[EducationPostgraduate] | None
    educationCert: list[EducationCert] | None
    personQualification: list[PersonQualification] | None
    personNomination: list[PersonNomination] | None
    personOrganization: list[PersonOrganization] | None


class Entity(Real):
    entityId: str | None


class ProblemDetails(Real):
    timestamp: datetime.datetime
    code: int
    reasonPhrase: str
    message: str | None
