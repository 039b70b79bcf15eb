"""Writing one chunk of an import: its new and changed objects, then one audit entry for each.

Persons come first (their ids and register OIDs are needed by the sections and the audit), then
passports, diplomas and cards; then the audit entries, in the same order. A row prepared by the
worker process (`FreshWrite`, frmr/imports/fresh.py) stands in the lists for the objects it creates
and is written from its prepared lines.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from frmr.audit.models import AuditAction
from frmr.audit.services import AuditHead, audit_record_bulk, audit_values, change_of
from frmr.changes.services import Change
from frmr.imports.fresh import FreshWrite
from frmr.imports.snapshots import created_changes
from frmr.imports.writer import copy_text, insert_objects, insert_rows
from frmr.registry import models as m
from frmr.registry.roster import roster_refresh
from frmr.registry.services import person_oid_allocate_block
from frmr.registry.services.versions import version_increment

BATCH_SIZE = 1000


@dataclass
class Writes:
    """What one chunk writes, and the audit entries that describe it."""

    persons_new: list[m.Person | FreshWrite] = field(default_factory=list)
    persons_changed: dict[int, tuple[m.Person, dict[str, list[Any]]]] = field(default_factory=dict)
    documents: list[m.IdentityDocument | FreshWrite] = field(default_factory=list)
    diplomas: list[m.ProfessionalEducation | FreshWrite] = field(default_factory=list)
    cards_new: list[m.EmploymentCard | FreshWrite] = field(default_factory=list)
    cards_dismissed: list[tuple[m.EmploymentCard, dict[str, list[Any]]]] = field(default_factory=list)

    def add_fresh(self, fresh: FreshWrite) -> None:
        self.persons_new.append(fresh)
        if fresh.creates(m.IdentityDocument):
            self.documents.append(fresh)
        if fresh.creates(m.ProfessionalEducation):
            self.diplomas.append(fresh)
        if fresh.creates(m.EmploymentCard):
            self.cards_new.append(fresh)

    def person_ids(self) -> set[int]:
        """Every person the chunk wrote or whose cards it wrote (after `write`: new ones have keys)."""
        ids = {p.pks[0] if isinstance(p, FreshWrite) else p.pk for p in self.persons_new}
        ids.update(self.persons_changed)
        ids.update(card.person_id for card in self.cards_new if isinstance(card, m.EmploymentCard))
        ids.update(card.person_id for card, _ in self.cards_dismissed)
        return ids

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


def write(writes: Writes, head: AuditHead) -> None:
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
            person.version = version_increment()
        m.Person.objects.bulk_update(
            people, [*sorted(fields), "updated_at", "version"], batch_size=BATCH_SIZE
        )
    insert_objects(m.IdentityDocument, writes.documents)
    insert_objects(m.ProfessionalEducation, writes.diplomas)
    insert_objects(m.EmploymentCard, writes.cards_new)
    if writes.cards_dismissed:
        dismissed = [card for card, _ in writes.cards_dismissed]
        for card in dismissed:
            card.updated_at = now
            card.version = version_increment()
        m.EmploymentCard.objects.bulk_update(
            dismissed, ["end_date", "end_reason", "updated_at", "version"], batch_size=BATCH_SIZE
        )
    entries: list[tuple[Any, ...] | bytes] = []
    changes: list[Change] = []
    for entry, change in _audit_rows(writes, head, now):
        entries.append(entry)
        if change is not None:
            changes.append(change)
    new_person_ids = [
        person.pks[0] if isinstance(person, FreshWrite) else person.pk for person in writes.persons_new
    ]
    audit_record_bulk(
        entries=entries, changes=changes, at=now, insert_rows=insert_rows, new_person_ids=new_person_ids
    )
    # The chunk's persons in the employer's roster, in one set-based refresh (frmr/registry/roster.py).
    roster_refresh(person_ids=writes.person_ids())


def _audit_rows(
    writes: Writes, head: AuditHead, now: datetime.datetime
) -> Iterator[tuple[tuple[Any, ...] | bytes, Change | None]]:
    """One audit entry per created or changed object, in the columns of AUDIT_COLUMNS, with the
    change-log event it stands for."""
    labels: dict[int, str] = {}  # the objects stay referenced by `writes`, so their ids stay unique
    at = copy_text(now) if any(isinstance(p, FreshWrite) for p in writes.persons_new) else b""
    oids: dict[int, str] = {}  # person id → register OID, for the events of their sections

    def change(
        model: type[Any], pk: int, person_id: int, action: AuditAction, owner: int | None = None
    ) -> Change | None:
        return change_of(
            action=action,
            entity_type=model._meta.label_lower,
            entity_id=str(pk),
            person_id=person_id,
            person_oid=oids.get(person_id, ""),
            organization_id=head.organization_id if owner is None else owner,
        )

    def entry(
        obj: Any, person_id: int, action: AuditAction, changes: dict[str, list[Any]]
    ) -> tuple[tuple[Any, ...], Change | None]:
        owner = obj.organization_id if isinstance(obj, m.EmploymentCard) else None
        return (
            audit_values(head, now, action, obj, str(obj)[:500], person_id, changes),
            change(type(obj), obj.pk, person_id, action, owner),
        )

    for person in writes.persons_new:
        if isinstance(person, FreshWrite):
            oids[person.pks[0]] = person.oid
            yield (
                person.audit_line(m.Person, at),
                change(m.Person, person.pks[0], person.pks[0], AuditAction.CREATE),
            )
            continue
        oids[person.pk] = person.oid
        labels[id(person)] = str(person)
        yield entry(person, person.pk, AuditAction.CREATE, created_changes(person, labels))
    for person, changes in writes.persons_changed.values():
        oids[person.pk] = person.oid
        yield entry(person, person.pk, AuditAction.UPDATE, changes)
    sections = (
        (m.IdentityDocument, writes.documents),
        (m.ProfessionalEducation, writes.diplomas),
        (m.EmploymentCard, writes.cards_new),
    )
    for model, objects in sections:
        for section in objects:
            if isinstance(section, FreshWrite):
                pk = section.pk_of(model)
                yield section.audit_line(model, at), change(model, pk, section.pks[0], AuditAction.CREATE)
            else:
                yield entry(section, section.person_id, AuditAction.CREATE, created_changes(section, labels))
    for card, changes in writes.cards_dismissed:
        yield entry(card, card.person_id, AuditAction.UPDATE, changes)
