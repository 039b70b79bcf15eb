"""Sections of the personal file (documents, education, certificates, …), one generic set of services.

Ownership rule: the organization that enters a record is stored on it (`organization`), and only that
organization's operators may change or delete it later; administrators may change any record. A worker
with several employers thus cannot have their diploma rewritten by an employer that did not enter it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frmr.accounts.permissions import ensure_acts_for, records_accreditation, trusted_or_admin
from frmr.audit.actors import ActorLike, acting_user
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, created_changes, model_snapshot
from frmr.core.validators import normalize_document_part, validate_identity_document
from frmr.nsi import oids
from frmr.registry.models import AccreditationRecord, IdentityDocument, Organization, Person, PersonSection
from frmr.registry.services._common import (
    Errors,
    apply_data,
    delete_with_audit,
    editable_field_names,
    update_with_audit,
    validate_instance,
)

if TYPE_CHECKING:
    pass

S = TypeVar("S", bound=PersonSection)


def _ensure_may_write(
    *, actor: ActorLike, organization: Organization | None, person: Person, model: type[PersonSection]
) -> None:
    if trusted_or_admin(actor):
        return
    # Accreditation records come from the commission's decision, entered by its secretary or ФАЦ staff,
    # who act for no medical organization.
    user = acting_user(actor)
    if (
        organization is None
        and issubclass(model, AccreditationRecord)
        and user is not None
        and records_accreditation(user)
    ):
        return
    ensure_acts_for(actor=actor, organization=organization)
    from frmr.registry.selectors import person_is_visible_to

    assert organization is not None  # ensure_acts_for refuses None for non-admins
    if not person_is_visible_to(person=person, organization=organization):
        raise PermissionDenied(
            _("Вносить сведения в личное дело может организация, в которой работник работает или работал.")
        )


def _ensure_owner(*, actor: ActorLike, organization: Organization | None, section: PersonSection) -> None:
    _ensure_may_write(actor=actor, organization=organization, person=section.person, model=type(section))
    if trusted_or_admin(actor):
        return
    if section.organization_id is None or organization is None or section.organization_id != organization.pk:
        raise PermissionDenied(
            _(
                "Эту запись внесла другая организация: изменить или удалить её может только она "
                "или администратор регистра."
            )
        )


def _check_section(section: PersonSection, errors: Errors) -> None:
    """Rules of a record beyond its fields' own: an identity document's series and number format."""
    if not isinstance(section, IdentityDocument) or section.document_type_id is None:
        return
    kind = section.document_type
    if "document_type" in errors or kind.dictionary != oids.IDENTITY_DOCUMENT_TYPES:
        return  # a wrong entry is reported by validate_instance
    code = kind.code
    section.series = normalize_document_part(code, section.series)
    section.number = normalize_document_part(code, section.number)
    try:
        validate_identity_document(document_type_code=code, series=section.series, number=section.number)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field not in errors:
                for message in messages:
                    errors.add(field, message)


def _fields(model: type[PersonSection]) -> set[str]:
    return editable_field_names(model, exclude={"person", "organization"})


def section_create(
    *,
    actor: ActorLike,
    organization: Organization | None,
    person: Person,
    model: type[S],
    data: Mapping[str, Any],
) -> S:
    _ensure_may_write(actor=actor, organization=organization, person=person, model=model)
    errors = Errors()
    section = model(person=person, organization=organization)
    apply_data(section, data, allowed=_fields(model), errors=errors)
    _check_section(section, errors)
    validate_instance(section, errors=errors)
    with transaction.atomic():
        section.save()
        audit_record(
            actor=actor,
            organization=organization,
            action=AuditAction.CREATE,
            obj=section,
            person=person,
            changes=created_changes(model_snapshot(section)),
        )
    return section


def section_update(
    *,
    actor: ActorLike,
    organization: Organization | None,
    section: S,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> S:
    _ensure_owner(actor=actor, organization=organization, section=section)
    return update_with_audit(
        instance=section,
        data=data,
        allowed=_fields(type(section)),
        actor=actor,
        organization=organization,
        person=section.person,
        check=_check_section,
        expected_version=expected_version,
        loaded=loaded,
    )


def section_delete(*, actor: ActorLike, organization: Organization | None, section: PersonSection) -> None:
    _ensure_owner(actor=actor, organization=organization, section=section)
    delete_with_audit(instance=section, actor=actor, organization=organization, person=section.person)
