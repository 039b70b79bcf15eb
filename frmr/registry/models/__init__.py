from frmr.registry.models._dict import dict_fk
from frmr.registry.models.counters import OidCounter
from frmr.registry.models.employment import Absence, EmploymentCard
from frmr.registry.models.organizations import Department, Organization
from frmr.registry.models.persons import Gender, Person
from frmr.registry.models.roster import RosterEntry, RosterFacet, RosterStatus, RosterWord
from frmr.registry.models.sections import (
    AccreditationRecord,
    AdditionalEducation,
    Address,
    Award,
    GeneralEducation,
    IdentityDocument,
    MilitaryService,
    OrganizationMembership,
    PersonSection,
    PostgraduateEducation,
    ProfessionalEducation,
    QualificationCategory,
    SpecialistCertificate,
)

__all__ = [
    "Absence",
    "AccreditationRecord",
    "AdditionalEducation",
    "Address",
    "Award",
    "Department",
    "EmploymentCard",
    "Gender",
    "GeneralEducation",
    "IdentityDocument",
    "MilitaryService",
    "OidCounter",
    "Organization",
    "OrganizationMembership",
    "Person",
    "PersonSection",
    "PostgraduateEducation",
    "ProfessionalEducation",
    "QualificationCategory",
    "RosterEntry",
    "RosterFacet",
    "RosterStatus",
    "RosterWord",
    "SpecialistCertificate",
    "dict_fk",
]
