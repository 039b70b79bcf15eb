"""Writing the change log, only ever from the audit entry point (frmr/audit/services.py).

A change concerns the organizations that see its record when it is made:

* an employment card or an absence: the card's organization only (the other employers see no card of
  theirs through the API);
* any other record of a personal file, the person included: every organization with a card of the
  person (current or past) and the organization that entered the person, as
  `persons_visible_to_organization` has it, plus the organization that made the change;
* an organization or its department: that organization.

Each change is written as one row without an organization (the whole register's log) and one row per
organization concerned, in one statement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connection

from frmr.changes.models import ChangeEvent, ChangeKind

# Records an employer keeps for itself: their changes go to the owner's feed only.
EMPLOYER_OWNED = frozenset({"registry.employmentcard", "registry.absence"})
# Records outside any personal file whose changes go to the feed of the organization they belong to.
ORGANIZATION_OWNED = frozenset({"registry.organization", "registry.department"})

EVENT_COLUMNS = ("at", "organization_id", "entity_type", "entity_id", "person_id", "person_oid", "kind")


class Change(NamedTuple):
    """One change to log: which record, whose file, what happened, and who is sure to be concerned."""

    entity_type: str
    entity_id: str
    person_id: int | None
    person_oid: str
    kind: ChangeKind
    # The card's organization for EMPLOYER_OWNED, the organization itself for ORGANIZATION_OWNED, else
    # the organization that made the change (None for an administrator, the worker or the system).
    organization_id: int | None


def is_logged(entity_type: str) -> bool:
    """Whether changes of this model are changes of the register (and so go to the change log)."""
    return entity_type.startswith("registry.")


def change_log_record(*, change: Change, at: datetime.datetime) -> None:
    """Write one change: its register-wide row and a row per organization concerned (one statement)."""
    from frmr.registry.models import EmploymentCard, Person

    quote = connection.ops.quote_name
    cards, persons = quote(EmploymentCard._meta.db_table), quote(Person._meta.db_table)
    organizations = ["SELECT CAST(NULL AS BIGINT) AS org", "SELECT CAST(%s AS BIGINT)"]
    union_params: list[Any] = [change.organization_id]
    if change.person_id is not None and change.entity_type not in EMPLOYER_OWNED:
        organizations.append(f"SELECT organization_id FROM {cards} WHERE person_id = %s")  # noqa: S608
        organizations.append(f"SELECT created_by_organization_id FROM {persons} WHERE id = %s")  # noqa: S608
        union_params += [change.person_id, change.person_id]
    # The OID is looked up in the same statement when the caller had only the person's id.
    oid = f"COALESCE(NULLIF(%s, ''), (SELECT oid FROM {persons} WHERE id = %s), '')"  # noqa: S608
    sql = (
        f"INSERT INTO {quote(ChangeEvent._meta.db_table)} ({', '.join(EVENT_COLUMNS)}) "  # noqa: S608
        f"SELECT %s, o.org, %s, %s, CAST(%s AS BIGINT), {oid}, %s FROM ({' UNION '.join(organizations)}) o"
    )
    params = [
        at,
        change.entity_type,
        change.entity_id,
        change.person_id,
        change.person_oid,
        change.person_id,
        change.kind.value,
        *union_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def change_log_rows(
    *, changes: Sequence[Change], at: datetime.datetime, new_person_ids: Iterable[int] = ()
) -> list[tuple[Any, ...]]:
    """The rows of `change_log_record` for many changes at once, in the columns of EVENT_COLUMNS.

    One query finds who sees the persons already in the register; `new_person_ids` (created in this
    batch, seen only through the rows' own organization) are not looked up.
    """
    from frmr.registry.models import EmploymentCard, Person

    fresh = set(new_person_ids)
    known = {c.person_id for c in changes if c.person_id is not None and c.person_id not in fresh}
    seen_by: dict[int, set[int]] = {pid: set() for pid in known}
    oids: dict[int, str] = {}
    if known:
        for person_id, oid, created_by in Person.objects.filter(pk__in=known).values_list(
            "pk", "oid", "created_by_organization_id"
        ):
            oids[person_id] = oid
            if created_by is not None:
                seen_by[person_id].add(created_by)
        for person_id, organization_id in (
            EmploymentCard.objects.filter(person_id__in=known)
            .values_list("person_id", "organization_id")
            .distinct()
        ):
            seen_by[person_id].add(organization_id)
    rows: list[tuple[Any, ...]] = []
    for change in changes:
        organizations = {change.organization_id} - {None}
        if change.person_id is not None and change.entity_type not in EMPLOYER_OWNED:
            organizations |= seen_by.get(change.person_id, set())
        oid = change.person_oid or (oids.get(change.person_id, "") if change.person_id is not None else "")
        head = (change.entity_type, change.entity_id, change.person_id, oid, change.kind.value)
        rows.append((at, None, *head))
        rows.extend((at, organization_id, *head) for organization_id in sorted(organizations))  # type: ignore[type-var]
    return rows
