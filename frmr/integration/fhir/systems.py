"""The URIs the directory names its identifiers and codes with (docs/fhir.md, «Системы»).

Where an official OID exists it is used as `urn:oid:…`. A register number has no official OID known to
the project; it gets one in the project's own arc (the same arc frmr.nsi.oids uses for dictionaries
without an official OID), so that an operator can later map it, and the choice is written down here
and in docs/fhir.md only.
"""

from __future__ import annotations

from frmr.nsi import oids

# An OID given as the identifier's value ("urn:oid:1.2.…"): FHIR's own convention for OID identifiers.
URI = "urn:ietf:rfc:3986"
# СНИЛС (страховой номер индивидуального лицевого счёта): the OID of the qualified-certificate profile.
SNILS = "urn:oid:1.2.643.100.3"
# ОГРН and ИНН of a legal entity, from the same profile.
OGRN = "urn:oid:1.2.643.100.1"
INN_LEGAL = "urn:oid:1.2.643.100.4"
# The register's own number of a person (`2026.0000001`, the real register's "OID работника").
REGISTER_NUMBER = "urn:oid:1.2.643.5.1.13.13.99.9.100.1"

# HL7's organization type code system: every organization of the register is a healthcare provider.
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"


def dictionary(oid: str) -> str:
    """A ФРНСИ dictionary as a FHIR code system."""
    return f"urn:oid:{oid}"


def oid_value(oid: str) -> str:
    return f"urn:oid:{oid}"


SPECIALTIES = dictionary(oids.SPECIALTIES)
POSITIONS = dictionary(oids.POSITIONS)
POSITION_TYPES = dictionary(oids.POSITION_TYPES)
ACCREDITATION_KINDS = dictionary(oids.ACCREDITATION_KINDS)
EDUCATION_TYPES = dictionary(oids.EDUCATION_TYPES)
# The federal dictionary of positions the real register's card also carries (`fedPositionId`).
FED_POSITIONS = "urn:oid:1.2.643.5.1.13.13.11.1002"
