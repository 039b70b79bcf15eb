"""What one checked row of an import does to the register: planned in memory, written by the chunk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from frmr.audit.services import diff, model_snapshot
from frmr.imports.apply import Writes
from frmr.imports.columns import BY_KEY
from frmr.imports.engine.outcome import (
    ACTION_IDENTITY_SKIPPED,
    CREATE,
    ERROR,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    RowOutcome,
)
from frmr.imports.identity import identity_change, identity_key
from frmr.imports.rows import ParsedRow, RowError
from frmr.imports.snapshots import (
    ACTION_DISMISSAL,
    ACTION_EDUCATION,
    ACTION_NEW_PERSON,
    ACTION_PASSPORT,
    IDENTITY_FIELDS,
    PERSON_LABELS,
    hire_action,
    new_card,
    new_diploma,
    new_passport,
    new_person,
)
from frmr.registry import models as m

if TYPE_CHECKING:
    from frmr.imports.engine import Context


def plan_row(
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
                BY_KEY["snils"].header,
                row.snils,
                _(
                    "Работник с этим СНИЛС уже есть в регистре, но не работает в вашей организации: "
                    "чтобы внести его, заполните столбцы приёма на работу."
                ),
            )
        )
        return outcome
    if person is None:
        person = new_person(row, organization)
        persons[row.snils] = person
        visible.add(row.snils)
        writes.persons_new.append(person)
        if context.dry_run:
            context.planned_new[row.snils] = {key: getattr(person, key) for key in IDENTITY_FIELDS}
        outcome.status = CREATE
        outcome.actions.append(str(ACTION_NEW_PERSON))
    else:
        outcome.name = outcome.name or person.full_name
        changed = [key for key, value in row.person.items() if _differs(person, key, value)]
        identity = identity_change(person, row, changed)
        if identity:
            outcome.identity = identity
            outcome.identity_key = identity_key(row, identity)
            if not context.dry_run and outcome.identity_key not in context.identity_confirmed:
                # Nothing of the row is written: it may be about another person altogether.
                outcome.status = SKIPPED
                outcome.actions.append(str(ACTION_IDENTITY_SKIPPED))
                return outcome
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
            labels = ", ".join(str(PERSON_LABELS[k]) for k in changed)
            outcome.actions.append(_("изменены личные данные: %(fields)s") % {"fields": labels})
            if context.dry_run and person.pk:
                context.planned_identity[row.snils] = {key: getattr(person, key) for key in IDENTITY_FIELDS}
    if row.passport is not None:
        passport = (row.snils, row.passport["series"], row.passport["number"])
        if passport not in passports:
            passports.add(passport)
            writes.documents.append(new_passport(row, person, organization))
            outcome.actions.append(str(ACTION_PASSPORT))
    if row.education is not None:
        diploma = (row.snils, row.education["doc_number"])
        if diploma not in diplomas:
            diplomas.add(diploma)
            writes.diplomas.append(new_diploma(row, person, organization))
            outcome.actions.append(str(ACTION_EDUCATION))
    if row.card is not None:
        _plan_card(row, person, cards, writes, outcome, context)
        visible.add(row.snils)
    if outcome.status == UNCHANGED and outcome.actions:
        outcome.status = UPDATE
    if outcome.status != ERROR and not outcome.actions:
        outcome.actions.append(_("без изменений"))
    return outcome


def _differs(person: m.Person, key: str, value: Any) -> bool:
    if key == "citizenship":
        return person.citizenship_id != (value.pk if value is not None else None)
    return bool(getattr(person, key) != value)


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
        card = new_card(row, person, context.organization)
        known.append(card)
        writes.cards_new.append(card)
        outcome.actions.append(hire_action(data))
    elif data["end_date"] is not None and same.end_date is None:
        same.person = person  # the audit entry names the person without a query
        before = model_snapshot(same, ("end_date", "end_reason"))
        same.end_date = data["end_date"]
        same.end_reason = data["end_reason"]
        writes.cards_dismissed.append((same, diff(before, model_snapshot(same, ("end_date", "end_reason")))))
        outcome.actions.append(str(ACTION_DISMISSAL))
