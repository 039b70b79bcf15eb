"""The objects a row creates and their audit entries' `changes`, shared by the main process and the
worker process that prepares rows ahead (frmr/imports/fresh.py).

`created_changes(obj)` gives what `frmr.audit.services.created_changes(model_snapshot(obj))` gives for
a new object, several times faster.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.audit.services import field_value, snapshot_fields
from frmr.imports.rows import ParsedRow
from frmr.imports.writer import new_instance
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m

encode_json = json.JSONEncoder(ensure_ascii=False).encode

# What a row does, as the dry run and the result list it (one wording for both processes); the
# report stores them, so a row's actions hold them as plain strings (`str(ACTION_…)`).
ACTION_NEW_PERSON = gettext_lazy("новый работник")
ACTION_PASSPORT = gettext_lazy("паспорт")
ACTION_EDUCATION = gettext_lazy("образование")
ACTION_DISMISSAL = gettext_lazy("карточка: увольнение")

# A change of these on a person already known is a change of identity: it may mean the row is about
# someone else (a mistyped СНИЛС, the template's example left in). The dry run lists such rows apart
# and the application skips those the operator has not confirmed one by one (engine.identity_change).
IDENTITY_FIELDS = ("last_name", "first_name", "patronymic", "birth_date")

PERSON_LABELS = {
    "last_name": gettext_lazy("фамилия"),
    "first_name": gettext_lazy("имя"),
    "patronymic": gettext_lazy("отчество"),
    "gender": gettext_lazy("пол"),
    "birth_date": gettext_lazy("дата рождения"),
    "birth_place": gettext_lazy("место рождения"),
    "inn": gettext_lazy("ИНН"),
    "citizenship": gettext_lazy("гражданство"),
    "phone": gettext_lazy("телефон"),
    "email": gettext_lazy("e-mail"),
}


def hire_action(card: dict[str, Any]) -> str:
    if card["end_date"]:
        return _("карточка: приём на работу и увольнение")
    return _("карточка: приём на работу")


def new_person(row: ParsedRow, organization: m.Organization) -> m.Person:
    return new_instance(m.Person, snils=row.snils, created_by_organization=organization, oid="", **row.person)


def new_passport(row: ParsedRow, person: m.Person, organization: m.Organization) -> m.IdentityDocument:
    return new_instance(m.IdentityDocument, person=person, organization=organization, **(row.passport or {}))


def new_diploma(row: ParsedRow, person: m.Person, organization: m.Organization) -> m.ProfessionalEducation:
    return new_instance(
        m.ProfessionalEducation, person=person, organization=organization, **(row.education or {})
    )


def new_card(row: ParsedRow, person: m.Person, organization: m.Organization) -> m.EmploymentCard:
    return new_instance(m.EmploymentCard, person=person, organization=organization, **(row.card or {}))


@functools.cache
def _snapshot_plan(model: Any) -> list[tuple[str, str, Any]]:
    """Per audited field: its name, how its value is written down, and the field itself."""
    plan = []
    for model_field in snapshot_fields(model):
        if model_field.is_relation:
            kind = "relation"
        elif isinstance(model_field, models.DecimalField):
            kind = "decimal"
        elif isinstance(model_field, models.DateField | models.TimeField):
            kind = "date"
        else:
            kind = "plain"
        plan.append((model_field.name, kind, model_field))
    return plan


def created_changes(obj: Any, labels: dict[int, str] | None = None) -> dict[str, list[Any]]:
    """`created_changes(model_snapshot(obj))` for a new object, several times faster.

    The generic snapshot inspects every value's type; here the kind of each field is decided once per
    model. tests/frmr/imports/test_engine.py checks that both give the same entries. `labels` keeps
    the text of related objects already named (by object identity): the person, the organization and
    the dictionary entries recur in every section.
    """
    if labels is None:
        labels = {}
    changes: dict[str, list[Any]] = {}
    cache = obj._state.fields_cache
    model: Any = type(obj)
    for name, kind, model_field in _snapshot_plan(model):
        if kind == "relation":
            related = cache.get(name)
            if related is None:
                value = field_value(model_field, obj)
            else:
                value = labels.get(id(related))
                if value is None:
                    if isinstance(related, DictionaryEntry):
                        value = f"{related.code} — {related.name}"
                    else:
                        value = str(related)
                    labels[id(related)] = value
        else:
            value = getattr(obj, model_field.attname)
            if value is None or value == "":
                continue
            if kind == "date":
                value = value.isoformat()
            elif kind == "decimal":
                value = f"{Decimal(str(value)):.{model_field.decimal_places}f}"
        if value is not None and value != "":
            changes[name] = [None, value]
    return changes
