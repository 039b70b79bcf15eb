"""Versions of registry rows: how a stale save is noticed and what the editor is told.

Every person, section record, card, absence, organization and department row has a `version` that each
write adds one to. An editor (a cabinet form, an API client with `If-Match`) says which version it
loaded; `update_with_audit` compares it with the row under the row lock and refuses the save with
`StaleVersionError` if somebody else wrote in between. The refusal lists, field by field, what the row
holds now against what the editor had loaded (when the editor says what it loaded: forms do, the API
cannot), so that nothing is overwritten unseen and the editor's own input is kept to be saved again.

Writes that do not go through `update_with_audit` (dismissal, transfer, the worker's own contacts, the
bulk import) add one with `bump_version` / `version_increment` too — the one rule for all writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldChange:
    """A field somebody else changed: its label, what the register holds now, what the editor loaded."""

    field: str
    label: str
    now: str
    loaded: str


class StaleVersionError(ValidationError):
    """A save based on an old version of the row; nothing was written.

    `current_version` is what the row holds now, `expected_version` what the editor loaded, `changes`
    the fields whose values differ between the two (empty when the editor did not say what it loaded).
    """

    def __init__(
        self,
        *,
        model: type[models.Model],
        expected_version: int,
        current_version: int,
        changes: list[FieldChange],
    ) -> None:
        self.model = model
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes = changes
        super().__init__({NON_FIELD_ERRORS: [ValidationError(self.describe(), code="stale")]})

    def describe(self) -> str:
        what = str(self.model._meta.verbose_name)
        parts = [
            _(
                "Пока вы редактировали, запись «%(record)s» изменил другой пользователь, и ваши изменения "
                "не сохранены, чтобы не затереть его."
            )
            % {"record": what}
        ]
        if self.changes:
            listed = "; ".join(
                _("«%(field)s»: сейчас в регистре «%(now)s», у вас было загружено «%(loaded)s»")
                % {"field": c.label, "now": c.now, "loaded": c.loaded}
                for c in self.changes
            )
            parts.append(_("Изменилось: %(fields)s.") % {"fields": listed})
        parts.append(
            _(
                "Всё, что вы ввели, осталось в форме: проверьте эти поля и сохраните ещё раз, "
                "если ваши значения верны."
            )
        )
        return " ".join(parts)


def bump_version(instance: models.Model) -> None:
    """Add one to the version of a row read under `select_for_update`, before saving it.

    Only under the row lock may the new number be computed in Python: nobody else can write between.
    """
    instance.version = int(instance.version) + 1  # type: ignore[attr-defined]


def version_increment() -> CombinedExpression:
    """The version's new value for writes of rows not locked first (`bulk_update`, `QuerySet.update`):
    the database adds one to whatever the row holds when the write reaches it."""
    return F("version") + 1


def _label(model: type[models.Model], name: str) -> str:
    try:
        label = str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name
    return label[:1].upper() + label[1:]


def _shown(model: type[models.Model], name: str, value: Any) -> str:
    """A snapshot value (audit.model_snapshot's form) as a person reads it."""
    if value in (None, ""):
        return _("пусто")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return f"{datetime.date.fromisoformat(value):%d.%m.%Y}"
        except ValueError:
            return value
    return str(value)


def changed_since(
    *, instance: models.Model, loaded: Mapping[str, Any], fields: Iterable[str]
) -> list[FieldChange]:
    """The fields among `fields` whose value in `instance` differs from the `loaded` snapshot."""
    from frmr.audit.services import model_snapshot

    names = [name for name in fields if name in loaded]
    now = model_snapshot(instance, names)
    model = type(instance)
    order = {f.name: i for i, f in enumerate(model._meta.concrete_fields)}
    return [
        FieldChange(
            field=name,
            label=_label(model, name),
            now=_shown(model, name, now.get(name)),
            loaded=_shown(model, name, loaded[name]),
        )
        for name in sorted(names, key=lambda n: order.get(n, len(order)))
        if now.get(name) != loaded[name]
    ]


def check_version(
    *,
    locked: models.Model,
    expected_version: int | None,
    loaded: Mapping[str, Any] | None,
    fields: Iterable[str],
) -> None:
    """Refuse a save based on another version than the locked row's (None: the caller has no version,
    e.g. an API client without If-Match — the last writer wins, as before versions existed)."""
    if expected_version is None:
        return
    current = int(locked.version)  # type: ignore[attr-defined]
    if current == expected_version:
        return
    changes = changed_since(instance=locked, loaded=loaded, fields=fields) if loaded else []
    raise StaleVersionError(
        model=type(locked), expected_version=expected_version, current_version=current, changes=changes
    )


def loaded_state(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """What an edit form remembers of the row it shows: its version and the values of its fields."""
    from frmr.audit.services import model_snapshot

    return {"version": int(instance.version), "values": model_snapshot(instance, fields)}  # type: ignore[attr-defined]


# What an edit form carries between showing the row and saving it: the version and the loaded values,
# signed so that a hand-edited token is ignored rather than believed (it could only mislead its sender).
_STATE_SALT = "frmr.registry.loaded-state"


def state_token(instance: models.Model, fields: Iterable[str]) -> str:
    """The hidden value of an edit form for `instance` showing `fields`."""
    from django.core import signing

    return signing.dumps(loaded_state(instance, fields), salt=_STATE_SALT, compress=True)


def read_state_token(token: str | None) -> tuple[int | None, dict[str, Any] | None]:
    """`(expected_version, loaded values)` from a form's hidden value; `(None, None)` if it is absent
    or not one of ours: the save then goes on as the last writer, as a client without a version."""
    from django.core import signing

    if not token:
        return None, None
    try:
        state = signing.loads(token, salt=_STATE_SALT)
    except signing.BadSignature:
        return None, None
    version, values = state.get("version"), state.get("values")
    if not isinstance(version, int) or not isinstance(values, dict):
        return None, None
    return version, values
