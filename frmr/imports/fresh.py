"""Rows whose person is new, prepared ahead by the worker process and written without model objects.

Most rows of a large file create a person with a passport, a diploma and a card. The worker process
(frmr/imports/pipeline.py) checks each row as for a new person and prepares what the main process
would otherwise build from model objects: the row's outcome and, when writing with COPY, the COPY
line of every object it creates and of their audit entries, in COPY's text format with slots for the
ids, the register OID and the time (writer.line_template). The lines are built from the same model
objects and the same functions as in the main process (`new_person`…, `created_changes`), so they
hold the same values.

The main process uses a prepared row only when its person turns out to be new and the row is the only
one of its СНИЛС in the chunk (nothing else in the chunk can change what the row creates); any other
row is checked and planned there as before.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import models

from frmr.audit.models import AuditAction
from frmr.audit.services import AuditHead, audit_values
from frmr.imports.rows import ParsedRow
from frmr.imports.snapshots import (
    ACTION_EDUCATION,
    ACTION_NEW_PERSON,
    ACTION_PASSPORT,
    IDENTITY_FIELDS,
    created_changes,
    encode_json,
    hire_action,
    new_card,
    new_diploma,
    new_passport,
    new_person,
)
from frmr.imports.writer import (
    SLOT_NOW,
    SLOT_OID,
    SLOT_PERSON,
    SLOT_PK,
    column_plan,
    line_template,
    row_values,
)
from frmr.registry import models as m

# The objects a row creates, in the order of `Fresh.lines`.
MODELS: tuple[type[models.Model], ...] = (
    m.Person,
    m.IdentityDocument,
    m.ProfessionalEducation,
    m.EmploymentCard,
)
_INDEX = {model: index for index, model in enumerate(MODELS)}


class Fresh(NamedTuple):
    """A row that passed the checks as for a new person, with what it does if its person is new."""

    snils: str
    name: str
    actions: tuple[str, ...]
    identity: tuple[tuple[str, Any], ...]  # the person's (field, value) of engine.IDENTITY_FIELDS
    # Per MODELS: (COPY line, audit entry line) of the object the row creates, or None; all None when
    # nothing is to be written (a dry run) or rows are not written with COPY.
    lines: tuple[tuple[bytes, bytes] | None, ...] | None


def prepare_fresh(
    row: ParsedRow, organization: m.Organization, head: AuditHead | None, labels: dict[int, str]
) -> Fresh:
    """What `row` does when its person is new; the lines only with `head` (writing with COPY).

    `labels`: the text of long-lived related objects (organization, dictionary entries, departments)
    by identity, kept across rows; the row's own person is named here and forgotten after.
    """
    actions = [str(ACTION_NEW_PERSON)]
    if row.passport is not None:
        actions.append(str(ACTION_PASSPORT))
    if row.education is not None:
        actions.append(str(ACTION_EDUCATION))
    if row.card is not None:
        actions.append(hire_action(row.card))
    person = new_person(row, organization)
    identity = tuple((key, getattr(person, key)) for key in IDENTITY_FIELDS)
    fresh = Fresh(row.snils, row.full_name, tuple(actions), identity, None)
    if head is None:
        return fresh
    person.pk = SLOT_PERSON
    person.oid = SLOT_OID
    objects: list[models.Model | None] = [
        person,
        new_passport(row, person, organization) if row.passport is not None else None,
        new_diploma(row, person, organization) if row.education is not None else None,
        new_card(row, person, organization) if row.card is not None else None,
    ]
    labels[id(person)] = str(person)
    try:
        lines: list[tuple[bytes, bytes] | None] = []
        for obj in objects:
            if obj is None:
                lines.append(None)
                continue
            if obj is not person:
                obj.pk = SLOT_PK
            lines.append((_copy_line(obj), _audit_line(obj, head, labels)))
    finally:
        del labels[id(person)]  # the object dies with this row; another may get its id()
    return fresh._replace(lines=tuple(lines))


def _copy_line(obj: models.Model) -> bytes:
    # What writer.insert_objects sends for `obj`, with the time as a slot.
    return line_template(row_values(obj, column_plan(type(obj)), now=SLOT_NOW))


def _audit_line(obj: models.Model, head: AuditHead, labels: dict[int, str]) -> bytes:
    # What the main process's audit entry for a created object holds (apply._audit_rows).
    text = str(obj)
    return line_template(
        audit_values(
            head,
            SLOT_NOW,
            AuditAction.CREATE,
            obj,
            text if SLOT_PK in text else text[:500],
            SLOT_PERSON,
            encode_json(created_changes(obj, labels)),
        )
    )


class FreshWrite:
    """The main process's side of a prepared row: fills its lines' slots while the chunk is written.

    One object stands in each list of the chunk's writes where the row creates something; the writer
    gives it each object's primary key (`copy_line`), the person's first.
    """

    __slots__ = ("lines", "oid", "pks")

    def __init__(self, lines: tuple[tuple[bytes, bytes] | None, ...]) -> None:
        self.lines = lines
        self.oid = ""
        self.pks = [0] * len(MODELS)

    def creates(self, model: type[models.Model]) -> bool:
        return self.lines[_INDEX[model]] is not None

    def copy_line(self, model: type[models.Model], pk: int, now: bytes) -> bytes:
        index = _INDEX[model]
        self.pks[index] = pk
        return self._fill(index, 0, now)

    def pk_of(self, model: type[models.Model]) -> int:
        """The primary key the writer gave the object of `model` this row creates."""
        return self.pks[_INDEX[model]]

    def audit_line(self, model: type[models.Model], now: bytes) -> bytes:
        return self._fill(_INDEX[model], 1, now)

    def _fill(self, index: int, kind: int, now: bytes) -> bytes:
        lines = self.lines[index]
        assert lines is not None
        slots = {b"pk": self.pks[index], b"person": self.pks[0], b"oid": self.oid.encode(), b"now": now}
        return lines[kind] % slots
