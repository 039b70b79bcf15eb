"""Writing the audit log: who did what, on behalf of which organization, to which record, old → new.

Entries are append-only: this module only ever inserts. Values are stored as JSON-safe snapshots
(dates in ISO form, decimals as strings, dictionary entries as "code — name", other links as text), so a
record stays readable after the linked rows change or disappear.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.audit.actors import ActorLike, as_actor
from frmr.audit.models import AuditAction, AuditEntry
from frmr.changes.models import ChangeEvent, ChangeKind
from frmr.changes.services import (
    EMPLOYER_OWNED,
    EVENT_COLUMNS,
    ORGANIZATION_OWNED,
    Change,
    change_log_announce,
    change_log_record,
    change_log_rows,
    is_logged,
)
from frmr.notifications.file_changes import file_changes_note
from frmr.nsi.models import DictionaryEntry

if TYPE_CHECKING:
    from frmr.registry.models import Organization, Person

# Bookkeeping columns that change on every save and say nothing about the record itself.
# The version is bookkeeping of the row, not data: it changes with every entry already.
SKIPPED_FIELDS = frozenset({"id", "created_at", "updated_at", "version"})


def field_value(field: models.Field[Any, Any], obj: models.Model) -> Any:
    """One field's value as the audit log keeps it (see `model_snapshot`)."""
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        related = getattr(obj, field.name)
        if isinstance(related, DictionaryEntry):
            return f"{related.code} — {related.name}"
        return str(related)
    value = getattr(obj, field.attname)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | float) and isinstance(field, models.DecimalField):
        # The same text before and after a save: 0.5 typed in and 0.50 read back are one value.
        return f"{Decimal(str(value)):.{field.decimal_places}f}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def snapshot_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS and not getattr(field, "auto_now", False)
    ]


def model_snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The record's values as JSON-safe data, keyed by field name."""
    wanted = set(fields) if fields is not None else None
    return {
        field.name: field_value(field, obj)
        for field in snapshot_fields(type(obj))
        if wanted is None or field.name in wanted
    }


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for every field whose value differs; a missing side counts as None."""
    return {
        key: [old.get(key), new.get(key)]
        for key in list(old) + [k for k in new if k not in old]
        if old.get(key) != new.get(key)
    }


def created_changes(snapshot: dict[str, Any]) -> dict[str, list[Any]]:
    return diff({}, {k: v for k, v in snapshot.items() if v not in (None, "")})


def deleted_changes(snapshot: dict[str, Any]) -> dict[str, list[Any]]:
    return diff({k: v for k, v in snapshot.items() if v not in (None, "")}, {})


def _object_repr(obj: models.Model) -> str:
    if type(obj).__str__ is models.Model.__str__:
        return f"{obj._meta.verbose_name} № {obj.pk}"
    return str(obj)


class AuditHead(NamedTuple):
    """The columns shared by every entry one actor writes for one organization with one reason."""

    actor_id: int | None
    actor_label: str
    organization_id: int | None
    reason: str


def audit_head(*, actor: ActorLike, organization: Organization | None, reason: str = "") -> AuditHead:
    acting = as_actor(actor)
    return AuditHead(
        actor_id=acting.user.pk if acting.user is not None else None,
        actor_label=acting.label,
        organization_id=organization.pk if organization is not None else None,
        reason=reason,
    )


# The columns of an entry in the order of `audit_values` (for COPY and bulk inserts).
AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "organization_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "person_id",
    "changes",
    "reason",
)


def audit_values(
    head: AuditHead,
    at: Any,
    action: AuditAction,
    obj: models.Model,
    object_repr: str,
    person_id: Any,
    changes: Any,
    object_id: Any = None,
) -> tuple[Any, ...]:
    """One entry in the order of AUDIT_COLUMNS (`at`, `person_id`, `object_repr` may be COPY slots)."""
    return (
        at,
        head.actor_id,
        head.actor_label,
        head.organization_id,
        action.value,
        obj._meta.label_lower,
        str(obj.pk) if object_id is None else object_id,
        object_repr,
        person_id,
        changes,
        head.reason,
    )


_CHANGE_KINDS = {
    AuditAction.CREATE: ChangeKind.CREATED,
    AuditAction.UPDATE: ChangeKind.UPDATED,
    AuditAction.DELETE: ChangeKind.DELETED,
}


def change_of(
    *,
    action: AuditAction,
    entity_type: str,
    entity_id: str,
    person_id: int | None,
    person_oid: str,
    organization_id: int | None,
) -> Change | None:
    """The change-log event an audit entry stands for, or None (a view, a login, not the register)."""
    kind = _CHANGE_KINDS.get(action)
    if kind is None or not is_logged(entity_type):
        return None
    return Change(entity_type, entity_id, person_id, person_oid, kind, organization_id)


def _concerned_organization(obj: models.Model, organization: Organization | None) -> int | None:
    """The organization sure to be concerned (frmr/changes/services.py): the owner of an employer's
    record or of an organization's own record, else the one acting."""
    label = obj._meta.label_lower
    if label == "registry.organization":
        return int(obj.pk)
    if label == "registry.absence":
        return int(obj.card.organization_id)  # type: ignore[attr-defined]  # the services pass the card
    if label in EMPLOYER_OWNED or label in ORGANIZATION_OWNED:
        return int(obj.organization_id)  # type: ignore[attr-defined]
    return organization.pk if organization is not None else None


def audit_record(
    *,
    actor: ActorLike,
    organization: Organization | None,
    action: AuditAction,
    obj: models.Model,
    person: Person | int | None,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one entry, and for a change of the register its change-log event, in the caller's
    transaction. `person`: the personal file the record belongs to (or only its id, when the caller
    has no Person at hand). `object_id`/`object_repr` are needed only after a delete, when `obj.pk`
    is gone."""
    person_id = person if isinstance(person, int) or person is None else person.pk
    now = timezone.now()
    head = audit_head(actor=actor, organization=organization, reason=reason)
    values = audit_values(
        head,
        now,
        action,
        obj,
        (object_repr if object_repr is not None else _object_repr(obj))[:500],
        person_id,
        changes or {},
        object_id,
    )
    # No savepoint: the caller's transaction holds the change; both rows go with it, or neither.
    with transaction.atomic(savepoint=False):
        entry = AuditEntry.objects.create(**dict(zip(AUDIT_COLUMNS, values, strict=True)))
        change = change_of(
            action=action,
            entity_type=entry.object_type,
            entity_id=entry.object_id,
            person_id=entry.person_id,
            person_oid=person.oid if person is not None and not isinstance(person, int) else "",
            organization_id=_concerned_organization(obj, organization),
        )
        if change is not None:
            change_log_record(change=change, at=now)
            if entry.person_id is not None and head.organization_id is not None:
                acting = as_actor(actor).user
                file_changes_note(
                    changes=[(entry.person_id, entry.object_type, change.kind.value)],
                    actor_label=head.actor_label,
                    organization_id=head.organization_id,
                    actor_person_id=acting.person_id if acting is not None else None,
                )
    return entry


# Inserts plain rows of a model in the given columns (the import's COPY writer, or bulk_create).
InsertRows = Callable[[type[models.Model], Sequence[str], Sequence[Sequence[Any] | bytes]], None]


def audit_record_bulk(
    *,
    entries: Sequence[Sequence[Any] | bytes],
    changes: Sequence[Change],
    at: datetime.datetime,
    insert_rows: InsertRows,
    new_person_ids: Iterable[int] = (),
    head: AuditHead | None = None,
    batch: str = "",
) -> None:
    """Append many entries (rows of `audit_values`, or their prepared COPY lines) and the change-log
    events of the same changes (`change_of` for each), as `audit_record` would one by one.

    The caller keeps the two lists in step: one change for each entry of a change of the register.
    `head` (the entries' actor and organization) and `batch` (e.g. an import run's id) tell the workers
    whose files changed (frmr/notifications/file_changes.py): one notification per person and batch.
    """
    with transaction.atomic(savepoint=False):
        if changes:
            change_log_announce()
        if head is not None and head.organization_id is not None:
            file_changes_note(
                changes=[
                    (c.person_id, c.entity_type, c.kind.value) for c in changes if c.person_id is not None
                ],
                actor_label=head.actor_label,
                organization_id=head.organization_id,
                batch=batch,
            )
        insert_rows(AuditEntry, AUDIT_COLUMNS, entries)
        insert_rows(
            ChangeEvent,
            EVENT_COLUMNS,
            change_log_rows(changes=changes, at=at, new_person_ids=new_person_ids),
        )


@dataclass(frozen=True)
class ChangeRow:
    field: str
    label: str
    old: Any
    new: Any


def field_label(object_type: str, field_name: str) -> str:
    """The verbose name of `field_name` in the model `app_label.model_name`, capitalized for display."""
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
        label = str(model._meta.get_field(field_name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field_name
    return label[:1].upper() + label[1:]


def _display(object_type: str, field_name: str, value: Any) -> Any:
    from django.apps import apps

    try:
        field = apps.get_model(object_type)._meta.get_field(field_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return value
    if value == "":
        return None  # an emptied text field reads «—» as a never-filled one does
    if isinstance(field, models.BooleanField) and isinstance(value, bool):
        return _("да") if value else _("нет")
    choices = dict(getattr(field, "flatchoices", None) or [])
    return choices.get(value, value) if choices else value


def describe_changes(entry: AuditEntry) -> list[ChangeRow]:
    """The entry's changes with field labels and choice names, in the model's field order."""
    return [
        ChangeRow(
            field=name,
            label=field_label(entry.object_type, name),
            old=_display(entry.object_type, name, pair[0]),
            new=_display(entry.object_type, name, pair[1]),
        )
        for name, pair in entry.changes.items()
    ]
