"""Writing the audit log: who did what, on behalf of which organization, to which record, old → new.

Entries are append-only: this module only ever inserts. Values are stored as JSON-safe snapshots
(dates in ISO form, decimals as strings, dictionary entries as "code — name", other links as text), so a
record stays readable after the linked rows change or disappear.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from frmr.audit.models import AuditAction, AuditEntry
from frmr.nsi.models import DictionaryEntry

if TYPE_CHECKING:
    from frmr.accounts.models import User
    from frmr.registry.models import Organization, Person

# Bookkeeping columns that change on every save and say nothing about the record itself.
# The version is bookkeeping of the row, not data: it changes with every entry already.
SKIPPED_FIELDS = frozenset({"id", "created_at", "updated_at", "version"})


def _json_value(field: models.Field[Any, Any], obj: models.Model) -> Any:
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
        field.name: _json_value(field, obj)
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


# Who acts when no user does (actor=None): set by `audit_acting_as`, e.g. an integration API token.
_system_actor_label: ContextVar[str] = ContextVar("audit_system_actor_label", default="")


@contextmanager
def audit_acting_as(label: str) -> Iterator[None]:
    """Entries written inside with `actor=None` name `label` instead of «система».

    The registry services take a user as their actor; a request of the integration API has none, only a
    token, and the services should not need a parameter for every kind of non-user caller.
    """
    reset = _system_actor_label.set(label)
    try:
        yield
    finally:
        _system_actor_label.reset(reset)


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return _system_actor_label.get() or "система"
    name = " ".join(part for part in (actor.last_name, actor.first_name, actor.patronymic) if part)
    return f"{name} ({actor.username})" if name else actor.username


def _object_repr(obj: models.Model) -> str:
    if type(obj).__str__ is models.Model.__str__:
        return f"{obj._meta.verbose_name} № {obj.pk}"
    return str(obj)


def audit_record(
    *,
    actor: User | None,
    organization: Organization | None,
    action: AuditAction,
    obj: models.Model,
    person: Person | None,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    actor_label: str = "",
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one entry. `object_id`/`object_repr` are needed only after a delete, when `obj.pk` is gone."""
    meta = obj._meta
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=(actor_label or _actor_label(actor))[:250],
        organization=organization,
        action=action,
        object_type=meta.label_lower,
        object_id=object_id if object_id is not None else str(obj.pk),
        object_repr=(object_repr if object_repr is not None else _object_repr(obj))[:500],
        person=person,
        changes=changes or {},
        reason=reason,
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
