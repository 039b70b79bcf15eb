"""What every registry service shares: applying input, and validating before any write (who may act:
`frmr/accounts/permissions.py`).

Validation runs in one pass and collects every problem, keyed by field, so a form can show them all at
once. It combines the project's own rules (checksums, ФИО letters, dates, dictionaries) with the model's
field checks and its database constraints, whose Russian messages are reused and attached to the field
they are about.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.audit.actors import ActorLike
from frmr.core.validators import validate_not_future, validate_printable
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m
from frmr.registry.roster import roster_refresh_for
from frmr.registry.rules import entry_in_force_problem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=models.Model)

# Which field a database constraint's message belongs to (NON_FIELD_ERRORS when it is not listed).
CONSTRAINT_FIELDS: dict[str, str] = {
    "card_rate_quarter_steps": "rate",
    "card_dismissal_after_hire": "end_date",
    "card_dismissal_has_reason": "end_reason",
    "absence_dates_order": "end_date",
    "person_snils_digits": "snils",
    "person_oid_format": "oid",
    "person_inn_digits": "inn",
    "person_death_after_birth": "death_date",
    "organization_kpp_format": "kpp",
    "department_unique_name": "name",
    "iddoc_unique_per_person": "number",
    "prof_years_order": "end_year",
    "postgraduate_dates_order": "end_date",
    "ext_hours_range": "hours",
    "cert_dates_order": "end_date",
    "accreditation_dates_order": "end_date",
    "qualification_dates_order": "end_date",
}
CONSTRAINT_MESSAGES: dict[str, StrOrPromise] = {
    "department_unique_name": gettext_lazy("В организации уже есть подразделение с таким наименованием."),
    "iddoc_unique_per_person": gettext_lazy("Такой документ у работника уже записан."),
}
UNIQUE_MESSAGES: dict[tuple[str, str], StrOrPromise] = {
    ("registry.person", "snils"): gettext_lazy("Работник с таким СНИЛС уже есть в регистре."),
    ("registry.person", "oid"): gettext_lazy("Работник с таким OID уже есть в регистре."),
    ("registry.organization", "oid"): gettext_lazy("Организация с таким OID уже есть в регистре."),
    ("registry.organization", "ogrn"): gettext_lazy("Организация с таким ОГРН уже есть в регистре."),
    ("registry.department", "oid"): gettext_lazy("Подразделение с таким OID уже есть в регистре."),
    ("registry.accreditationrecord", "registry_number"): (
        gettext_lazy("Аккредитация с таким номером реестровой записи уже есть в регистре.")
    ),
}

# Dates that describe something that has already happened.
NOT_FUTURE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    m.Person: ("birth_date", "death_date"),
    m.IdentityDocument: ("issue_date",),
    m.Address: ("registration_date",),
    m.ProfessionalEducation: ("doc_date",),
    m.PostgraduateEducation: ("begin_date", "doc_date"),
    m.AdditionalEducation: ("doc_date",),
    m.SpecialistCertificate: ("exam_date",),
    m.AccreditationRecord: ("pass_date", "protocol_date"),
    m.QualificationCategory: ("begin_date",),
    m.Award: ("award_date",),
    m.EmploymentCard: ("contract_date",),
}

# A dictionary entry must be in force on the date the record is about (not on the day it is typed in:
# a diploma of 1995 names a specialty of 1995). Fields not listed are checked against today.
REFERENCE_DATES: dict[type[models.Model], str] = {
    m.IdentityDocument: "issue_date",
    m.Address: "registration_date",
    m.ProfessionalEducation: "doc_date",
    m.PostgraduateEducation: "begin_date",
    m.AdditionalEducation: "doc_date",
    m.SpecialistCertificate: "exam_date",
    m.AccreditationRecord: "pass_date",
    m.QualificationCategory: "begin_date",
    m.Award: "award_date",
    m.EmploymentCard: "begin_date",
    m.Absence: "begin_date",
}
FIELD_REFERENCE_DATES: dict[tuple[type[models.Model], str], str] = {
    (m.EmploymentCard, "end_reason"): "end_date",
}


class Errors:
    """Field-keyed problems collected before anything is written."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, error: ValidationError | StrOrPromise) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(str(error))
        self.by_field.setdefault(field, []).append(error)

    def add_error(self, field: str, error: ValidationError) -> None:
        # A validator's error may itself be keyed (from full_clean) or a plain list.
        if hasattr(error, "error_dict"):
            for key, items in error.error_dict.items():
                for item in items:
                    self.add(key, item)
        else:
            for item in error.error_list:
                self.add(field, item)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def fields(self) -> set[str]:
        return set(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def check(errors: Errors, field: str, validator: Any, value: Any) -> None:
    try:
        validator(value)
    except ValidationError as error:
        errors.add_error(field, error)


# ------------------------------------------------------------------------------------------------ Input


def editable_field_names(model: type[models.Model], *, exclude: Iterable[str] = ()) -> set[str]:
    skipped = {"id", "created_at", "updated_at", "version", *exclude}
    return {f.name for f in model._meta.concrete_fields if f.name not in skipped}


def dictionary_oid(field: models.Field[Any, Any]) -> str | None:
    if not field.is_relation or field.related_model is not DictionaryEntry:
        return None
    limit = field.remote_field.limit_choices_to if field.remote_field else None
    return limit.get("dictionary") if isinstance(limit, dict) else None


def apply_data(instance: M, data: Mapping[str, Any], *, allowed: set[str], errors: Errors) -> set[str]:
    """Set the given fields on `instance`; return the names of those whose value changed.

    A dictionary field takes an entry or its code: codes are looked up in the field's own dictionary.
    """
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"{type(instance).__name__}: these fields cannot be set here: {sorted(unknown)}")
    changed: set[str] = set()
    meta = instance._meta
    for name, raw in data.items():
        field = meta.get_field(name)
        assert isinstance(field, models.Field)  # `allowed` holds concrete fields only
        value = raw
        oid = dictionary_oid(field)
        if oid and isinstance(raw, str):
            value = DictionaryEntry.objects.filter(dictionary=oid, code=raw).first() if raw else None
            if raw and value is None:
                errors.add(
                    name,
                    _("В справочнике «%(dictionary)s» нет записи с кодом «%(code)s».")
                    % {"dictionary": field.verbose_name, "code": raw},
                )
                continue
        if isinstance(value, str) and isinstance(field, models.CharField | models.TextField):
            value = value.strip()
            # One rule for every way in (cabinet, API, admin): no control or invisible characters.
            try:
                validate_printable(value, multiline=isinstance(field, models.TextField))
            except ValidationError as error:
                errors.add_error(name, error)
                continue
        elif not field.is_relation and value is not None:
            # Typed values ("2024-01-31", 0.5) compare equal to what a reload gives, so "changed" is true.
            try:
                value = field.to_python(value)
            except ValidationError as error:
                errors.add_error(name, error)
                continue
        if field.is_relation:
            old = getattr(instance, field.attname)
            new = value.pk if isinstance(value, models.Model) else value
            if old != new:
                changed.add(name)
            if isinstance(value, models.Model) or value is None:
                setattr(instance, name, value)
            else:
                setattr(instance, field.attname, value)
        else:
            if getattr(instance, name) != value:
                changed.add(name)
            setattr(instance, name, value)
    return changed


# ------------------------------------------------------------------------------------------- Validation


def _reference_date(instance: models.Model, field_name: str) -> datetime.date:
    model = type(instance)
    date_field = FIELD_REFERENCE_DATES.get((model, field_name)) or REFERENCE_DATES.get(model)
    value = getattr(instance, date_field, None) if date_field else None
    return value if isinstance(value, datetime.date) else timezone.localdate()


def _check_dictionaries(instance: models.Model, fields: Iterable[str] | None, errors: Errors) -> set[str]:
    """Dictionary fields must hold an entry of their own dictionary, in force on the record's date."""
    checked: set[str] = set()
    for field in instance._meta.concrete_fields:
        oid = dictionary_oid(field)
        if not oid or (fields is not None and field.name not in fields) or field.name in errors:
            continue
        if getattr(instance, field.attname) is None:
            continue  # a required but empty field is reported by full_clean
        checked.add(field.name)
        label = field.verbose_name
        try:
            entry = getattr(instance, field.name)
        except DictionaryEntry.DoesNotExist:
            errors.add(
                field.name, _("Такой записи в справочнике «%(dictionary)s» нет.") % {"dictionary": label}
            )
            continue
        if entry.dictionary != oid:
            errors.add(
                field.name,
                _("«%(entry)s» — запись другого справочника, а не «%(dictionary)s».")
                % {"entry": entry.name, "dictionary": label},
            )
            continue
        problem = entry_in_force_problem(entry, _reference_date(instance, field.name))
        if problem:
            errors.add(field.name, problem)
    return checked


def validate_instance(
    instance: models.Model,
    *,
    errors: Errors | None = None,
    changed: Iterable[str] | None = None,
) -> None:
    """Run every check on an unsaved state of `instance`; raise one ValidationError listing all problems.

    `changed` limits the dictionary-validity check on updates to fields that were actually changed, so
    that an old record pointing at a since-retired entry can still be corrected elsewhere.
    """
    errors = errors or Errors()
    model = type(instance)
    for name in NOT_FUTURE_FIELDS.get(model, ()):
        if name not in errors:
            check(errors, name, validate_not_future, getattr(instance, name))

    dictionary_fields = _check_dictionaries(instance, changed, errors)

    try:
        instance.full_clean(exclude=sorted(errors.fields() | dictionary_fields), validate_constraints=False)
    except ValidationError as error:
        label = model._meta.label_lower
        for field, items in error.error_dict.items():
            for item in items:
                if item.code == "unique" and (label, field) in UNIQUE_MESSAGES:
                    item = ValidationError(str(UNIQUE_MESSAGES[(label, field)]), code="unique")
                elif item.code in ("blank", "null", "required") and field != NON_FIELD_ERRORS:
                    label_of = getattr(model._meta.get_field(field), "verbose_name", field)
                    item = ValidationError(
                        _("Заполните поле «%(field)s».") % {"field": label_of}, code="required"
                    )
                errors.add(field, item)

    skip = errors.fields()
    for constraint in model._meta.constraints:
        field = CONSTRAINT_FIELDS.get(constraint.name, NON_FIELD_ERRORS)
        if field in errors:
            continue
        try:
            constraint.validate(model, instance, exclude=skip)
        except ValidationError as error:
            message = CONSTRAINT_MESSAGES.get(constraint.name)
            errors.add(field, ValidationError(str(message), code="constraint") if message else error)
    errors.raise_if_any()


def update_with_audit(
    *,
    instance: M,
    data: Mapping[str, Any],
    allowed: set[str],
    actor: ActorLike,
    organization: m.Organization | None,
    person: m.Person | None,
    check: Callable[[M, Errors], None] | None = None,
    queryset: models.QuerySet[M] | None = None,
    errors: Errors | None = None,
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> M:
    """The shared shape of every update: lock the row, apply and check the data, save and audit the diff.

    The row is re-read under a lock so that two operators editing at once cannot overwrite each other's
    change unseen: with `expected_version` (the version the editor loaded) a row written by somebody
    else since is refused with StaleVersionError, listing the fields that differ from `loaded` (the
    editor's loaded values, audit snapshot form). Every write adds one to the version; nothing is
    written (and no audit entry made) when the data changes nothing. `person` names the personal file
    the entry belongs to; pass the instance itself for a Person. `errors` may already hold problems
    found while normalising the input: they are reported together with the rest.
    """
    from frmr.audit.models import AuditAction
    from frmr.audit.services import audit_record, diff, model_snapshot
    from frmr.registry.services.versions import bump_version, check_version

    errors = errors if errors is not None else Errors()
    rows = queryset if queryset is not None else type(instance)._default_manager.all()
    with transaction.atomic():
        locked = rows.select_for_update().get(pk=instance.pk)
        check_version(locked=locked, expected_version=expected_version, loaded=loaded, fields=allowed)
        before = model_snapshot(locked)
        changed = apply_data(locked, data, allowed=allowed, errors=errors)
        if check is not None:
            check(locked, errors)
        validate_instance(locked, errors=errors, changed=changed)
        changes = diff(before, model_snapshot(locked))
        if changes:
            bump_version(locked)
            locked.save()
            roster_refresh_for(locked)
            audit_record(
                actor=actor,
                organization=organization,
                action=AuditAction.UPDATE,
                obj=locked,
                person=locked if isinstance(locked, m.Person) else person,
                changes=changes,
            )
    return locked


def delete_with_audit(
    *,
    instance: M,
    actor: ActorLike,
    organization: m.Organization | None,
    person: m.Person | None,
    object_repr: str | None = None,
    reason: str = "",
) -> None:
    """The shared shape of every delete: lock the row, remember what it held, delete it, audit the loss.

    The snapshot is taken from the locked row, not the caller's copy, which may be stale.
    """
    from frmr.audit.models import AuditAction
    from frmr.audit.services import audit_record, deleted_changes, model_snapshot

    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        object_id, label = str(locked.pk), object_repr or str(locked)
        snapshot = model_snapshot(locked)
        locked.delete()
        roster_refresh_for(locked)
        audit_record(
            actor=actor,
            organization=organization,
            action=AuditAction.DELETE,
            obj=locked,
            object_id=object_id,
            object_repr=label,
            person=person,
            changes=deleted_changes(snapshot),
            reason=reason,
        )
