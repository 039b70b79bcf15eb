"""The FHIR R4 directory (IHE mCSD) under /fhir/: Practitioner, PractitionerRole, Organization, Location.

docs/fhir.md says what each resource holds, which searches work and how paging and history behave.
"""

FHIR_PREFIX = "/fhir/"
