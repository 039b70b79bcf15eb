"""Importing employees from a file: check every row, then write the good ones in bulk.

Rule (docs/import.md): all-or-nothing per ROW. A row with any error is skipped as a whole and
reported; every good row is applied. A dry run does everything except writing.

Speed: rows are read in chunks of `CHUNK_SIZE`; for each chunk the persons with its СНИЛС, their cards
in this organization, passports and diplomas are loaded in one query each; new OIDs come from one
block allocation; persons, sections, cards and one audit entry per created or changed object are
written with bulk_create/bulk_update inside one transaction per chunk. If the database refuses a chunk
(another user saved the same СНИЛС meanwhile), the chunk is redone row by row so that only the
offending rows fail.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from frmr.audit.models import AuditAction, AuditEntry
from frmr.audit.services import (
    _actor_label,
    _json_value,
    diff,
    model_snapshot,
    snapshot_fields,
)
from frmr.core.validators import normalize_snils
from frmr.imports.readers import open_rows
from frmr.imports.rows import Lookups, ParsedRow, RowError, check_row
from frmr.imports.writer import insert_objects, insert_rows, new_instance
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m
from frmr.registry.services import person_oid_allocate_block
from frmr.registry.services._common import ensure_acts_for

if TYPE_CHECKING:
    from frmr.accounts.models import User

CHUNK_SIZE = 1000
PREVIEW_LIMIT = 500
ERROR_LIMIT = 1000

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"

PERSON_LABELS = {
    "last_name": "фамилия",
    "first_name": "имя",
    "patronymic": "отчество",
    "gender": "пол",
    "birth_date": "дата рождения",
    "birth_place": "место рождения",
    "inn": "ИНН",
    "citizenship": "гражданство",
    "phone": "телефон",
    "email": "e-mail",
}


@dataclass
class RowOutcome:
    row: int
    snils: str
    name: str
    status: str
    actions: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "snils": self.snils,
            "name": self.name,
            "status": self.status,
            "actions": self.actions,
            "errors": [error.as_dict() for error in self.errors],
        }


@dataclass
class ImportResult:
    dry_run: bool
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0})
    objects: dict[str, int] = field(default_factory=dict)  # what was (or would be) written, by kind
    preview: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    file_errors: list[str] = field(default_factory=list)

    def add(self, outcome: RowOutcome) -> None:
        self.total += 1
        self.counts[outcome.status] += 1
        if len(self.preview) < PREVIEW_LIMIT:
            self.preview.append(outcome.as_dict())
        for error in outcome.errors:
            self.error_count += 1
            if len(self.errors) < ERROR_LIMIT:
                self.errors.append(error.as_dict())

    def summary(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "counts": self.counts,
            "objects": self.objects,
            "error_count": self.error_count,
        }


@dataclass
class Context:
    organization: m.Organization
    actor: User | None
    label: str
    dry_run: bool
    lookups: Lookups
    result: ImportResult
    planned_new: dict[str, datetime.date] = field(default_factory=dict)  # dry run: СНИЛС → birth date


@dataclass
class Writes:
    """What one chunk writes, and the audit entries that describe it."""

    persons_new: list[m.Person] = field(default_factory=list)
    persons_changed: dict[int, tuple[m.Person, dict[str, list[Any]]]] = field(default_factory=dict)
    documents: list[m.IdentityDocument] = field(default_factory=list)
    diplomas: list[m.ProfessionalEducation] = field(default_factory=list)
    cards_new: list[m.EmploymentCard] = field(default_factory=list)
    cards_dismissed: list[tuple[m.EmploymentCard, dict[str, list[Any]]]] = field(default_factory=list)

    def count(self, objects: dict[str, int]) -> None:
        for kind, n in (
            ("persons_created", len(self.persons_new)),
            ("persons_updated", len(self.persons_changed)),
            ("documents_created", len(self.documents)),
            ("education_created", len(self.diplomas)),
            ("cards_created", len(self.cards_new)),
            ("cards_dismissed", len(self.cards_dismissed)),
        ):
            objects[kind] = objects.get(kind, 0) + n


def run_import(
    *,
    organization: m.Organization,
    actor: User | None,
    path: Path,
    name: str,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportResult:
    """Check (and unless `dry_run`, apply) the file; the result lists every row's outcome and error."""
    ensure_acts_for(actor=actor, organization=organization)
    result = ImportResult(dry_run=dry_run)
    try:
        info, rows = open_rows(path, name=name)
    except ValidationError as error:
        result.file_errors.extend(error.messages)
        return result
    missing = info.missing_required()
    if missing:
        result.file_errors.append(
            "В первой строке файла нет столбца «СНИЛС». Первая строка — заголовки столбцов, как в шаблоне."
        )
        return result
    if info.unknown_headers:
        result.file_errors.append(
            "Столбцы, которых нет в шаблоне, пропущены: "
            + ", ".join(f"«{h}»" for h in info.unknown_headers)
            + "."
        )
    context = Context(
        organization=organization,
        actor=actor,
        label=f"Импорт файла {name}",
        dry_run=dry_run,
        lookups=Lookups(organization),
        result=result,
    )
    done = 0
    try:
        for chunk in _chunks(rows, chunk_size):
            for outcome in _process_chunk(chunk, context):
                result.add(outcome)
            done += len(chunk)
            if progress is not None:
                progress(done)
    except ValidationError as error:
        result.file_errors.extend(error.messages)
    return result


def _chunk_keys(chunk: list[tuple[int, dict[str, str]]]) -> set[str]:
    return {key for _, raw in chunk if (key := _snils_key(raw.get("snils", "")))}


def _chunks(
    rows: Iterator[tuple[int, dict[str, str]]], size: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _process_chunk(chunk: list[tuple[int, dict[str, str]]], context: Context) -> list[RowOutcome]:
    if context.dry_run:
        outcomes, _ = _plan(chunk, context)
        return outcomes
    try:
        with transaction.atomic():
            _relax_commit()
            outcomes, writes = _plan(chunk, context)
            _write(writes, context)
            writes.count(context.result.objects)
            return outcomes
    except DatabaseError:
        if len(chunk) == 1:
            number, raw = chunk[0]
            return [
                RowOutcome(
                    row=number,
                    snils=raw.get("snils", ""),
                    name="",
                    status=ERROR,
                    errors=[
                        RowError(
                            number,
                            "СНИЛС",
                            raw.get("snils", ""),
                            "База данных не приняла строку: возможно, этого работника одновременно внёс "
                            "кто-то другой. Загрузите строку ещё раз.",
                        )
                    ],
                )
            ]
        return [outcome for row in chunk for outcome in _process_chunk([row], context)]


def _relax_commit() -> None:
    """Let PostgreSQL acknowledge this chunk's COMMIT before its WAL reaches the disk.

    A crash of the server may lose the last chunks committed this way (never half a chunk: the
    database stays consistent), and loading the file again creates only what is missing. Only this
    transaction is affected (SET LOCAL); it saves one disk flush per chunk.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _snils_key(text: str) -> str | None:
    try:
        return normalize_snils(text)
    except ValidationError:
        return None


def _plan(chunk: list[tuple[int, dict[str, str]]], context: Context) -> tuple[list[RowOutcome], Writes]:
    """Decide what each row does; nothing is written here."""
    organization = context.organization
    keys = _chunk_keys(chunk)
    persons = {p.snils: p for p in m.Person.objects.filter(snils__in=keys)}
    by_id = {p.pk: p for p in persons.values()}
    cards: dict[str, list[m.EmploymentCard]] = {}
    for card in m.EmploymentCard.objects.filter(organization=organization, person_id__in=by_id):
        cards.setdefault(by_id[card.person_id].snils, []).append(card)
    passports = {
        (by_id[person_id].snils, series, number)
        for person_id, series, number in m.IdentityDocument.objects.filter(
            person_id__in=by_id, document_type=context.lookups.passport_type
        ).values_list("person_id", "series", "number")
    }
    diplomas = {
        (by_id[person_id].snils, number)
        for person_id, number in m.ProfessionalEducation.objects.filter(person_id__in=by_id).values_list(
            "person_id", "doc_number"
        )
    }
    visible = {
        p.snils
        for p in persons.values()
        if p.created_by_organization_id == organization.pk or p.snils in cards
    }
    writes = Writes()
    outcomes = []
    for number, raw in chunk:
        snils = _snils_key(raw.get("snils", "")) or ""
        person = persons.get(snils)
        if person is None and snils in context.planned_new:
            person = m.Person(snils=snils, birth_date=context.planned_new[snils])
            visible.add(snils)
        checked = check_row(number, raw, context.lookups, existing=person)
        if isinstance(checked, list):
            outcomes.append(
                RowOutcome(
                    row=number, snils=raw.get("snils", ""), name=_raw_name(raw), status=ERROR, errors=checked
                )
            )
            continue
        outcome = _plan_row(checked, person, persons, cards, passports, diplomas, visible, writes, context)
        outcomes.append(outcome)
    return outcomes, writes


def _raw_name(raw: dict[str, str]) -> str:
    return " ".join(
        raw.get(k, "").strip() for k in ("last_name", "first_name", "patronymic") if raw.get(k, "").strip()
    )


def _plan_row(
    row: ParsedRow,
    person: m.Person | None,
    persons: dict[str, m.Person],
    cards: dict[str, list[m.EmploymentCard]],
    passports: set[tuple[str, str, str]],
    diplomas: set[tuple[str, str]],
    visible: set[str],
    writes: Writes,
    context: Context,
) -> RowOutcome:
    organization = context.organization
    outcome = RowOutcome(row=row.row, snils=row.snils, name=row.full_name, status=UNCHANGED)
    if person is not None and row.snils not in visible and row.card is None:
        outcome.status = ERROR
        outcome.errors.append(
            RowError(
                row.row,
                "СНИЛС",
                row.snils,
                "Работник с этим СНИЛС уже есть в регистре, но не работает в вашей организации: "
                "чтобы внести его, заполните столбцы приёма на работу.",
            )
        )
        return outcome
    if person is None:
        person = new_instance(
            m.Person, snils=row.snils, created_by_organization=organization, oid="", **row.person
        )
        persons[row.snils] = person
        visible.add(row.snils)
        writes.persons_new.append(person)
        if context.dry_run:
            context.planned_new[row.snils] = person.birth_date
        outcome.status = CREATE
        outcome.actions.append("новый работник")
    else:
        outcome.name = outcome.name or person.full_name
        changed = [key for key, value in row.person.items() if _differs(person, key, value)]
        if changed:
            before = model_snapshot(person, changed) if person.pk else {}
            for key in changed:
                setattr(person, key, row.person[key])
            if person.pk:
                entry = writes.persons_changed.get(person.pk)
                changes = diff(before, model_snapshot(person, changed))
                if entry is not None:
                    changes = {**entry[1], **changes}
                writes.persons_changed[person.pk] = (person, changes)
            outcome.actions.append("изменены личные данные: " + ", ".join(PERSON_LABELS[k] for k in changed))
    if row.passport is not None:
        passport = (row.snils, row.passport["series"], row.passport["number"])
        if passport not in passports:
            passports.add(passport)
            writes.documents.append(
                new_instance(m.IdentityDocument, person=person, organization=organization, **row.passport)
            )
            outcome.actions.append("паспорт")
    if row.education is not None:
        diploma = (row.snils, row.education["doc_number"])
        if diploma not in diplomas:
            diplomas.add(diploma)
            writes.diplomas.append(
                new_instance(
                    m.ProfessionalEducation, person=person, organization=organization, **row.education
                )
            )
            outcome.actions.append("образование")
    if row.card is not None:
        _plan_card(row, person, cards, writes, outcome, context)
        visible.add(row.snils)
    if outcome.status == UNCHANGED and outcome.actions:
        outcome.status = UPDATE
    if outcome.status != ERROR and not outcome.actions:
        outcome.actions.append("без изменений")
    return outcome


def _differs(person: m.Person, key: str, value: Any) -> bool:
    if key == "citizenship":
        return person.citizenship_id != (value.pk if value is not None else None)
    return getattr(person, key) != value


def _plan_card(
    row: ParsedRow,
    person: m.Person,
    cards: dict[str, list[m.EmploymentCard]],
    writes: Writes,
    outcome: RowOutcome,
    context: Context,
) -> None:
    data = dict(row.card or {})
    known = cards.setdefault(row.snils, [])
    same = next(
        (
            card
            for card in known
            if card.begin_date == data["begin_date"]
            and card.position_id == data["position"].pk
            and card.department_id == data["department"].pk
        ),
        None,
    )
    if same is None:
        card = new_instance(m.EmploymentCard, person=person, organization=context.organization, **data)
        known.append(card)
        writes.cards_new.append(card)
        outcome.actions.append("карточка: приём на работу" + (" и увольнение" if data["end_date"] else ""))
    elif data["end_date"] is not None and same.end_date is None:
        same.person = person  # the audit entry names the person without a query
        before = model_snapshot(same, ("end_date", "end_reason"))
        same.end_date = data["end_date"]
        same.end_reason = data["end_reason"]
        writes.cards_dismissed.append((same, diff(before, model_snapshot(same, ("end_date", "end_reason")))))
        outcome.actions.append("карточка: увольнение")


def _write(writes: Writes, context: Context) -> None:
    now = timezone.now()
    if writes.persons_new:
        for person, oid in zip(
            writes.persons_new, person_oid_allocate_block(count=len(writes.persons_new)), strict=True
        ):
            person.oid = oid
        insert_objects(m.Person, writes.persons_new)
    if writes.persons_changed:
        fields = {key for _, changes in writes.persons_changed.values() for key in changes}
        people = [person for person, _ in writes.persons_changed.values()]
        for person in people:
            person.updated_at = now
        m.Person.objects.bulk_update(people, [*sorted(fields), "updated_at"], batch_size=CHUNK_SIZE)
    insert_objects(m.IdentityDocument, writes.documents)
    insert_objects(m.ProfessionalEducation, writes.diplomas)
    insert_objects(m.EmploymentCard, writes.cards_new)
    if writes.cards_dismissed:
        dismissed = [card for card, _ in writes.cards_dismissed]
        for card in dismissed:
            card.updated_at = now
        m.EmploymentCard.objects.bulk_update(
            dismissed, ["end_date", "end_reason", "updated_at"], batch_size=CHUNK_SIZE
        )
    insert_rows(AuditEntry, AUDIT_COLUMNS, list(_audit_rows(writes, context, now)))


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


def _created_changes(obj: Any, labels: dict[int, str] | None = None) -> dict[str, list[Any]]:
    """`created_changes(model_snapshot(obj))` for a new object, several times faster.

    The generic snapshot inspects every value's type; here the kind of each field is decided once per
    model. tests/frmr/imports/test_engine.py checks that both give the same entries. `labels` keeps
    the text of related objects already named in this chunk (by object identity): the person, the
    organization and the dictionary entries recur in every section.
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
                value = _json_value(model_field, obj)
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


def _audit_rows(writes: Writes, context: Context, now: datetime.datetime) -> Iterator[tuple[Any, ...]]:
    """One audit entry per created or changed object, in the columns of AUDIT_COLUMNS."""
    actor_id = context.actor.pk if context.actor is not None else None
    label = _actor_label(context.actor)[:250]
    organization_id = context.organization.pk
    labels: dict[int, str] = {}  # the objects stay referenced by `writes`, so their ids stay unique

    def entry(
        obj: Any, person_id: int, action: AuditAction, changes: dict[str, list[Any]]
    ) -> tuple[Any, ...]:
        return (
            now,
            actor_id,
            label,
            organization_id,
            action.value,
            obj._meta.label_lower,
            str(obj.pk),
            str(obj)[:500],
            person_id,
            changes,
            context.label,
        )

    for person in writes.persons_new:
        labels[id(person)] = str(person)
        yield entry(person, person.pk, AuditAction.CREATE, _created_changes(person, labels))
    for person, changes in writes.persons_changed.values():
        yield entry(person, person.pk, AuditAction.UPDATE, changes)
    sections: list[m.IdentityDocument | m.ProfessionalEducation | m.EmploymentCard] = [
        *writes.documents,
        *writes.diplomas,
        *writes.cards_new,
    ]
    for section in sections:
        yield entry(section, section.person_id, AuditAction.CREATE, _created_changes(section, labels))
    for card, changes in writes.cards_dismissed:
        yield entry(card, card.person_id, AuditAction.UPDATE, changes)
