"""Personal data (личные данные) of a person in the register."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from frmr.accounts.permissions import ensure_acts_for, is_admin, trusted_or_admin
from frmr.audit.actors import ActorLike
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, created_changes, model_snapshot
from frmr.core.validators import (
    normalize_fio_part,
    normalize_phone,
    normalize_snils,
    validate_email,
    validate_fio_part,
    validate_inn_person,
    validate_snils,
)
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Organization, Person
from frmr.registry.roster import roster_refresh
from frmr.registry.services._common import (
    UNIQUE_MESSAGES,
    Errors,
    apply_data,
    check,
    editable_field_names,
    update_with_audit,
    validate_instance,
)
from frmr.registry.services.oids import person_oid_allocate

if TYPE_CHECKING:
    pass

# The OID is assigned by the register and the creating organization is recorded by the service.
PERSON_FIELDS = editable_field_names(Person, exclude={"oid", "created_by_organization"})


@dataclasses.dataclass
class PersonData:
    """Input of `person_create`; a plain dict with the same keys is accepted as well."""

    snils: str
    last_name: str
    first_name: str
    gender: int
    birth_date: datetime.date
    patronymic: str = ""
    birth_place: str = ""
    death_date: datetime.date | None = None
    inn: str = ""
    citizenship: DictionaryEntry | str | None = None
    phone: str = ""
    email: str = ""


def _as_dict(data: PersonData | Mapping[str, Any]) -> dict[str, Any]:
    return dataclasses.asdict(data) if isinstance(data, PersonData) else dict(data)


def _normalize_and_check(data: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """Bring identifiers to their stored form and check what the model cannot."""
    clean = dict(data)
    if "snils" in clean:
        check(errors, "snils", validate_snils, clean["snils"])
        if "snils" not in errors:
            clean["snils"] = normalize_snils(clean["snils"])
    for name in ("last_name", "first_name", "patronymic"):
        if name in clean:
            clean[name] = normalize_fio_part(clean[name])
            if clean[name]:
                check(errors, name, validate_fio_part, clean[name])
    if clean.get("inn"):
        clean["inn"] = str(clean["inn"]).strip()
        check(errors, "inn", validate_inn_person, clean["inn"])
    if clean.get("phone"):
        check(errors, "phone", normalize_phone, clean["phone"])
        if "phone" not in errors:
            clean["phone"] = normalize_phone(clean["phone"])
    if clean.get("email"):
        clean["email"] = str(clean["email"]).strip()
        check(errors, "email", validate_email, clean["email"])
    return {key: value for key, value in clean.items() if key not in errors}


def person_validate(*, data: PersonData | Mapping[str, Any], person: Person | None = None) -> None:
    """Raise the ValidationError that person_create/person_update would raise, writing nothing.

    Forms call it while cleaning, so that the admin and the cabinet show the services' own messages.
    """
    errors = Errors()
    values = _normalize_and_check(_as_dict(data), errors)
    candidate = Person(oid="0000.0000000") if person is None else Person.objects.get(pk=person.pk)
    changed = apply_data(candidate, values, allowed=PERSON_FIELDS, errors=errors)
    validate_instance(candidate, errors=errors, changed=None if person is None else changed)


def person_create(
    *,
    actor: ActorLike,
    organization: Organization | None,
    data: PersonData | Mapping[str, Any],
) -> Person:
    """A new person with a fresh register OID; refused with field messages if anything is wrong."""
    ensure_acts_for(actor=actor, organization=organization)
    errors = Errors()
    values = _normalize_and_check(_as_dict(data), errors)
    person = Person(created_by_organization=organization, oid="0000.0000000")
    apply_data(person, values, allowed=PERSON_FIELDS, errors=errors)
    # The placeholder OID passes the format check; the real one is taken only once all else is valid,
    # so a refused creation does not consume a number.
    validate_instance(person, errors=errors)
    try:
        with transaction.atomic():
            person.oid = person_oid_allocate()
            person.save()
            roster_refresh(person_ids=[person.pk])
            audit_record(
                actor=actor,
                organization=organization,
                action=AuditAction.CREATE,
                obj=person,
                person=person,
                changes=created_changes(model_snapshot(person)),
            )
    except IntegrityError:
        # Another request saved the same СНИЛС between our check and our insert.
        if Person.objects.filter(snils=person.snils).exists():
            raise ValidationError({"snils": UNIQUE_MESSAGES[("registry.person", "snils")]}) from None
        raise
    return person


def person_update(
    *,
    actor: ActorLike,
    organization: Organization | None,
    person: Person,
    data: PersonData | Mapping[str, Any],
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> Person:
    """Change personal data; the audit entry holds only the fields that changed.

    `expected_version`/`loaded`: the version and values the editor loaded (update_with_audit).
    """
    from frmr.registry.selectors import person_is_visible_to

    ensure_acts_for(actor=actor, organization=organization)
    if not trusted_or_admin(actor) and (
        organization is None or not person_is_visible_to(person=person, organization=organization)
    ):
        raise PermissionDenied(
            _("Изменять личные данные может только организация, в которой работник работает или работал.")
        )
    errors = Errors()
    values = _normalize_and_check(_as_dict(data), errors)
    return update_with_audit(
        instance=person,
        data=values,
        allowed=PERSON_FIELDS,
        actor=actor,
        organization=organization,
        person=person,
        errors=errors,
        expected_version=expected_version,
        loaded=loaded,
    )


def person_delete(*, actor: ActorLike, organization: Organization | None, person: Person) -> None:
    """Remove a person entered by mistake, with the records and cards the same organization entered.

    Only the organization that entered the person may do it (or an administrator), and only while nobody
    else relies on the record: no card or record of another organization, no user account, no
    accreditation. Otherwise the refusal (code `in_use`) says what keeps the person in the register.
    """
    from frmr.audit.services import deleted_changes
    from frmr.registry.catalogue import RECORD_SECTIONS
    from frmr.registry.models import AccreditationRecord, EmploymentCard

    ensure_acts_for(actor=actor, organization=organization)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        admin = is_admin(actor)
        if not admin and (organization is None or locked.created_by_organization_id != organization.pk):
            raise PermissionDenied(
                _(
                    "Удалить работника из регистра может только организация, которая его внесла, "
                    "или администратор регистра."
                )
            )
        reasons: list[str] = []
        if not admin:
            assert organization is not None  # checked above: only the entering organization gets here
            org_id = organization.pk
            if EmploymentCard.objects.filter(person=locked).exclude(organization_id=org_id).exists():
                reasons.append(_("у работника есть карточки в других организациях"))
            for section in RECORD_SECTIONS:
                model = section.model
                if model is AccreditationRecord:
                    continue
                others = model._default_manager.filter(person=locked).exclude(organization_id=org_id)
                if others.exists():
                    reasons.append(
                        _("сведения раздела «%(section)s» внесены другой организацией")
                        % {"section": model._meta.verbose_name_plural}
                    )
        if AccreditationRecord.objects.filter(person=locked).exists():
            reasons.append(_("у работника есть записи об аккредитации"))
        if locked.users.exists():
            reasons.append(_("работник входит в личный кабинет"))
        if reasons:
            raise ValidationError(
                _("Работника нельзя удалить из регистра: %(reasons)s.") % {"reasons": "; ".join(reasons)},
                code="in_use",
            )
        # Recorded before the row goes, so that the entry names the person: the log's link to the
        # person has no constraint and outlives the deletion (docs/audit.md).
        audit_record(
            actor=actor,
            organization=organization,
            action=AuditAction.DELETE,
            obj=locked,
            person=locked,
            changes=deleted_changes(model_snapshot(locked)),
        )
        locked.delete()
        roster_refresh(person_ids=[person.pk])
