"""Keeping the employer cabinet's roster (`RosterEntry`) exact: one function for every write path.

The roster holds one row per (organization, person) the organization may see — a person with a card
there, or entered into the register by it — with what the employee list shows, filters and searches
by. It is derived data. Whatever writes persons, cards or departments (services, the integration API
through them, the import with its COPY path, the admin, the synthetic register) calls
`roster_refresh(person_ids=…)` inside its own transaction, after its writes; the function recomputes
those persons' rows with two set-based statements, whatever the batch size. `roster_rebuild()` (and
`manage.py rebuild_roster`) recomputes the whole table the same way.

Concurrent refreshes of one person are serialized by a row lock on the person (PostgreSQL), so the
second sees the first one's committed cards and never collides with its rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection, transaction

from frmr.core.names import lexicon_add_sql, normalize_name_sql
from frmr.registry import models as m

ROSTER = m.RosterEntry._meta.db_table
WORDS = m.RosterWord._meta.db_table
FACETS = m.RosterFacet._meta.db_table
PERSON = m.Person._meta.db_table
CARD = m.EmploymentCard._meta.db_table
DEPARTMENT = m.Department._meta.db_table
ENTRY = m.EmploymentCard._meta.get_field("position").related_model._meta.db_table
# SQLite's variables per statement (999 before 3.32): refresh in slices below it.
SQLITE_SLICE = 400

COLUMNS = "organization_id, person_id, oid, name, search_name, snils, birth_date, gender, status, cards"


def _sql_parts(vendor: str) -> dict[str, str]:
    display = (
        "p.last_name || ' ' || p.first_name || "
        "CASE WHEN p.patronymic <> '' THEN ' ' || p.patronymic ELSE '' END"
    )
    if vendor == "postgresql":
        return {
            "display": display,
            "search": normalize_name_sql(display, vendor),
            "card": "jsonb_build_object('position', pos.name, 'department', d.name, 'rate', c.rate, "
            "'begin', c.begin_date, 'end', c.end_date)",
            "array": "jsonb_agg",
            "empty": "'[]'::jsonb",
        }
    return {
        "display": display,
        "search": normalize_name_sql(display, vendor),
        "card": "json_object('position', pos.name, 'department', d.name, 'rate', CAST(c.rate AS TEXT), "
        "'begin', c.begin_date, 'end', c.end_date)",
        "array": "json_group_array",
        "empty": "'[]'",
    }


def _insert_sql(vendor: str, card_where: str, person_where: str) -> str:
    """`card_where` names the card table's columns with a leading `@` (for the alias where needed)."""
    parts = _sql_parts(vendor)
    return f"""
        WITH pairs AS (
            SELECT organization_id, person_id FROM {CARD} WHERE {card_where.replace("@", "")}
            UNION
            SELECT created_by_organization_id, id FROM {PERSON}
            WHERE created_by_organization_id IS NOT NULL AND {person_where}
        ),
        agg AS (
            SELECT c.organization_id, c.person_id,
                   MAX(CASE WHEN c.end_date IS NULL THEN 1 ELSE 0 END) AS working,
                   {parts["array"]}({parts["card"]}) AS cards
            FROM {CARD} c
            JOIN {DEPARTMENT} d ON d.id = c.department_id
            JOIN {ENTRY} pos ON pos.id = c.position_id
            WHERE {card_where.replace("@", "c.")}
            GROUP BY c.organization_id, c.person_id
        )
        INSERT INTO {ROSTER} ({COLUMNS})
        SELECT pr.organization_id, p.id, p.oid, {parts["display"]}, {parts["search"]}, p.snils,
               p.birth_date, p.gender,
               CASE WHEN a.person_id IS NULL THEN {m.RosterStatus.ENTERED}
                    WHEN a.working = 1 THEN {m.RosterStatus.WORKING}
                    ELSE {m.RosterStatus.DISMISSED} END,
               COALESCE(a.cards, {parts["empty"]})
        FROM pairs pr
        JOIN {PERSON} p ON p.id = pr.person_id
        LEFT JOIN agg a ON a.organization_id = pr.organization_id AND a.person_id = pr.person_id
    """  # noqa: S608


def _facets_sql(roster_where: str) -> str:
    """INSERT the facets (frmr.registry.models.RosterFacet) of the roster rows `r` matching `roster_where`."""
    department, position = m.RosterFacet.Kind.DEPARTMENT, m.RosterFacet.Kind.POSITION
    return f"""
        INSERT INTO {FACETS} (entry_id, organization_id, person_id, kind, value, search_name, status)
        SELECT DISTINCT r.id, r.organization_id, r.person_id, k.kind,
               CASE k.kind WHEN {department} THEN c.department_id ELSE c.position_id END, r.search_name,
               r.status
        FROM {ROSTER} r
        JOIN {CARD} c ON c.organization_id = r.organization_id AND c.person_id = r.person_id
        CROSS JOIN (SELECT {department} AS kind UNION ALL SELECT {position}) k
        WHERE {roster_where}
    """  # noqa: S608


def roster_refresh(*, person_ids: Iterable[int], organization_ids: Collection[int] | None = None) -> None:
    """Recompute the roster rows of these persons (in these organizations only, if given).

    Call it inside the transaction that changed the persons, their cards or their departments, after
    the change; it joins that transaction (or opens one).
    """
    ids = sorted({int(pk) for pk in person_ids})
    if not ids:
        return
    orgs = sorted({int(pk) for pk in organization_ids}) if organization_ids is not None else None
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Serializes refreshes of the same person: the later one waits, then sees the earlier one's rows.
            cursor.execute(f"SELECT id FROM {PERSON} WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", [ids])  # noqa: S608
            _refresh_postgresql(cursor, ids, orgs)
            return
        for start in range(0, len(ids), SQLITE_SLICE):
            _refresh_portable(cursor, ids[start : start + SQLITE_SLICE], orgs)


def _delete(cursor: Any, rows: str, params: list[object]) -> None:
    """The roster rows matching `rows`, their facets first (they reference the rows)."""
    cursor.execute(f"DELETE FROM {FACETS} WHERE entry_id IN (SELECT id FROM {ROSTER} WHERE {rows})", params)  # noqa: S608
    cursor.execute(f"DELETE FROM {ROSTER} WHERE {rows}", params)  # noqa: S608


_IDS = "(SELECT unnest(%s::bigint[]))"


def _refresh_postgresql(cursor: object, ids: list[int], orgs: list[int] | None) -> None:
    # `IN (SELECT unnest(…))`, not `= ANY(…)`: the database then joins the ids (a hash or index
    # lookups) instead of testing each row against the whole list — which it does when its statistics
    # of a table filled moments ago are stale (a large import), 50,000 rows × 1,000 ids per statement.
    org_clause = f" AND @organization_id IN {_IDS}" if orgs is not None else ""
    delete_params: list[object] = [ids] if orgs is None else [ids, orgs]
    # `@` stands for a table's alias: the same persons (and organizations) in roster, facets and cards.
    where = f"@person_id IN {_IDS}{org_clause}"
    _delete(cursor, where.replace("@", ""), delete_params)
    person_where = f"id IN {_IDS}" + (
        f" AND created_by_organization_id IN {_IDS}" if orgs is not None else ""
    )
    params = delete_params * 3
    cursor.execute(_insert_sql("postgresql", where, person_where), params)  # type: ignore[attr-defined]
    cursor.execute(_facets_sql(where.replace("@", "r.")), delete_params)  # type: ignore[attr-defined]
    cursor.execute(_WORDS_SQL.format(where=f"person_id IN {_IDS}"), [ids])  # type: ignore[attr-defined]


# The lexicon of name words for the fast typo search (frmr/registry/search.py), PostgreSQL only.
_WORDS_SQL = lexicon_add_sql(
    WORDS,
    f"SELECT unnest(string_to_array(search_name, ' ')) AS word FROM {ROSTER} WHERE {{where}}",  # noqa: S608
)


def _refresh_portable(cursor: object, ids: list[int], orgs: list[int] | None) -> None:
    marks = ", ".join(["%s"] * len(ids))
    org_marks = ", ".join(["%s"] * len(orgs)) if orgs else "NULL"
    org_clause = f" AND @organization_id IN ({org_marks})" if orgs is not None else ""
    delete_params: list[object] = [*ids, *(orgs or [])]
    where = f"@person_id IN ({marks}){org_clause}"
    _delete(cursor, where.replace("@", ""), delete_params)
    person_where = f"id IN ({marks})" + (
        f" AND created_by_organization_id IN ({org_marks})" if orgs is not None else ""
    )
    cursor.execute(_insert_sql(connection.vendor, where, person_where), delete_params * 3)  # type: ignore[attr-defined]
    cursor.execute(_facets_sql(where.replace("@", "r.")), delete_params)  # type: ignore[attr-defined]


def roster_rebuild() -> int:
    """Recompute the whole roster from persons, cards and departments; returns the number of rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FACETS}")  # noqa: S608
        cursor.execute(f"DELETE FROM {ROSTER}")  # noqa: S608
        cursor.execute(_insert_sql(connection.vendor, "TRUE", "TRUE"))
        cursor.execute(_facets_sql("TRUE"))
        if connection.vendor == "postgresql":
            # Anew, which also drops words nobody has any more and duplicates of concurrent writers.
            cursor.execute(f"DELETE FROM {WORDS}")  # noqa: S608
            cursor.execute(_WORDS_SQL.format(where="TRUE"))
        cursor.execute(f"SELECT COUNT(*) FROM {ROSTER}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def roster_refresh_department(*, department: m.Department) -> None:
    """After a department's name changed: the rows of everyone with a card in it."""
    person_ids = m.EmploymentCard.objects.filter(department=department).values_list("person_id", flat=True)
    roster_refresh(person_ids=list(person_ids), organization_ids=[department.organization_id])


def roster_refresh_positions(*, entry_ids: Collection[int]) -> None:
    """After dictionary entries (positions) were renamed: the rows of everyone holding them."""
    if not entry_ids:
        return
    cards = m.EmploymentCard.objects.filter(position_id__in=list(entry_ids))
    roster_refresh(person_ids=list(cards.values_list("person_id", flat=True).distinct()))


def roster_refresh_for(instance: object) -> None:
    """After a service saved or deleted `instance`: the roster rows it feeds, if any.

    The shared update and delete of the services call it for whatever they wrote, so a new kind of
    write through them cannot forget the roster.
    """
    if isinstance(instance, m.Person):
        roster_refresh(person_ids=[instance.pk])
    elif isinstance(instance, m.EmploymentCard):
        roster_refresh(person_ids=[instance.person_id])
    elif isinstance(instance, m.Department):
        roster_refresh_department(department=instance)
