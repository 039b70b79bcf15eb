"""Business rules of the register: every write goes through these functions (see docs/audit.md).

Other apps import from here, never from the modules inside: `editable_field_names` (which fields a
form may offer) and `validate_instance` (every check a service runs before a write) are public for
that reason. Who may act is `frmr/accounts/permissions.py`.
"""

from frmr.registry.services._common import editable_field_names, validate_instance
from frmr.registry.services.employment import (
    absence_add,
    absence_delete,
    absence_update,
    card_delete,
    card_dismiss,
    card_hire,
    card_transfer,
    card_update,
)
from frmr.registry.services.oids import person_oid_allocate, person_oid_allocate_block
from frmr.registry.services.organizations import (
    department_create,
    department_update,
    organization_create,
    organization_update,
    organization_validate,
)
from frmr.registry.services.persons import (
    PersonData,
    person_create,
    person_delete,
    person_update,
    person_validate,
)
from frmr.registry.services.sections import section_create, section_delete, section_update
from frmr.registry.services.versions import FieldChange, StaleVersionError

__all__ = [
    "FieldChange",
    "PersonData",
    "StaleVersionError",
    "absence_add",
    "absence_delete",
    "absence_update",
    "card_delete",
    "card_dismiss",
    "card_hire",
    "card_transfer",
    "card_update",
    "department_create",
    "department_update",
    "editable_field_names",
    "organization_create",
    "organization_update",
    "organization_validate",
    "person_create",
    "person_delete",
    "person_oid_allocate",
    "person_oid_allocate_block",
    "person_update",
    "person_validate",
    "section_create",
    "section_delete",
    "section_update",
    "validate_instance",
]
