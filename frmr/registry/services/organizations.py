"""Medical organizations and their departments.

Organizations are created and changed by administrators (they come from ФРМО); an organization's own
operators may add and rename its departments. A department's OID is `<organization OID>.0.<n>` with n
one more than the highest n the organization has used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from frmr.accounts.permissions import ensure_acts_for, ensure_admin
from frmr.audit.actors import ActorLike
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, created_changes, model_snapshot
from frmr.core.validators import validate_inn_legal, validate_kpp, validate_ogrn
from frmr.registry.models import Department, Organization
from frmr.registry.services._common import (
    Errors,
    apply_data,
    check,
    editable_field_names,
    update_with_audit,
    validate_instance,
)

if TYPE_CHECKING:
    pass

ORGANIZATION_FIELDS = editable_field_names(Organization)
DEPARTMENT_FIELDS = {"name", "is_active"}


def _check_organization(values: dict[str, Any], errors: Errors) -> dict[str, Any]:
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if clean.get("ogrn"):
        check(errors, "ogrn", validate_ogrn, clean["ogrn"])
    if clean.get("inn"):
        check(errors, "inn", validate_inn_legal, clean["inn"])
    if clean.get("kpp"):
        clean["kpp"] = clean["kpp"].upper()
        check(errors, "kpp", validate_kpp, clean["kpp"])
    return {k: v for k, v in clean.items() if k not in errors}


def organization_validate(*, data: Mapping[str, Any], organization: Organization | None = None) -> None:
    """The checks of organization_create/organization_update without writing (for forms)."""
    errors = Errors()
    candidate = Organization() if organization is None else Organization.objects.get(pk=organization.pk)
    changed = apply_data(
        candidate, _check_organization(dict(data), errors), allowed=ORGANIZATION_FIELDS, errors=errors
    )
    validate_instance(candidate, errors=errors, changed=None if organization is None else changed)


def organization_create(*, actor: ActorLike, data: Mapping[str, Any]) -> Organization:
    ensure_admin(actor=actor)
    errors = Errors()
    organization = Organization()
    apply_data(
        organization, _check_organization(dict(data), errors), allowed=ORGANIZATION_FIELDS, errors=errors
    )
    validate_instance(organization, errors=errors)
    with transaction.atomic():
        organization.save()
        audit_record(
            actor=actor,
            organization=None,
            action=AuditAction.CREATE,
            obj=organization,
            person=None,
            changes=created_changes(model_snapshot(organization)),
        )
    return organization


def organization_update(
    *,
    actor: ActorLike,
    organization: Organization,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> Organization:
    ensure_admin(actor=actor)
    errors = Errors()
    values = _check_organization(dict(data), errors)
    return update_with_audit(
        instance=organization,
        data=values,
        allowed=ORGANIZATION_FIELDS,
        actor=actor,
        organization=None,
        person=None,
        errors=errors,
        expected_version=expected_version,
        loaded=loaded,
    )


def _next_department_oid(organization: Organization) -> str:
    prefix = f"{organization.oid}.0."
    used = [
        int(oid[len(prefix) :])
        for oid in Department.objects.filter(organization=organization).values_list("oid", flat=True)
        if oid.startswith(prefix) and oid[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(used, default=0) + 1}"


def department_create(*, actor: ActorLike, organization: Organization, name: str) -> Department:
    ensure_acts_for(actor=actor, organization=organization)
    errors = Errors()
    department = Department(organization=organization, oid=f"{organization.oid}.0.0")
    apply_data(department, {"name": name}, allowed=DEPARTMENT_FIELDS, errors=errors)
    validate_instance(department, errors=errors)
    with transaction.atomic():
        # Locking the organization row serializes department creation per organization, so two
        # operators adding departments at once cannot compute the same next number.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        department.oid = _next_department_oid(organization)
        department.save()
        audit_record(
            actor=actor,
            organization=organization,
            action=AuditAction.CREATE,
            obj=department,
            person=None,
            changes=created_changes(model_snapshot(department)),
        )
    return department


def department_update(
    *,
    actor: ActorLike,
    organization: Organization,
    department: Department,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> Department:
    ensure_acts_for(actor=actor, organization=organization)
    if department.organization_id != organization.pk:
        raise PermissionDenied(_("Это подразделение другой организации."))
    return update_with_audit(
        instance=department,
        data=data,
        allowed=DEPARTMENT_FIELDS,
        actor=actor,
        organization=organization,
        person=None,
        expected_version=expected_version,
        loaded=loaded,
    )
