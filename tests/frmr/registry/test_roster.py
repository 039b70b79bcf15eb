"""The employer's roster stays exactly what a fresh rebuild makes, whatever path writes the register."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frmr.audit.actors import SYSTEM
from frmr.imports.columns import COLUMNS, HEADERS
from frmr.imports.engine import run_import
from frmr.integration.services import api_token_create
from frmr.nsi import oids
from frmr.nsi.records import EntryData
from frmr.nsi.services import dictionary_sync
from frmr.registry import models as m
from frmr.registry.roster import roster_rebuild
from frmr.registry.services import (
    card_delete,
    card_dismiss,
    card_hire,
    card_transfer,
    department_create,
    department_update,
    person_create,
    person_delete,
    person_update,
)
from tests.factories import dict_entry, valid_snils

SURNAMES = ["Кузнецова", "Королёва", "Ли", "Орлова", "Петрова"]
FIRST = ["Мария", "Алёна", "Анна"]


def snapshot() -> set[tuple[Any, ...]]:
    rows = set()
    facets: dict[tuple[int, int], set[tuple[int, int, str]]] = {}
    for facet in m.RosterFacet.objects.select_related("entry"):
        # A facet repeats its entry's keys: they must agree.
        assert (facet.organization_id, facet.person_id, facet.search_name, facet.status) == (
            facet.entry.organization_id,
            facet.entry.person_id,
            facet.entry.search_name,
            facet.entry.status,
        )
        facets.setdefault((facet.organization_id, facet.person_id), set()).add(
            (facet.kind, facet.value, facet.search_name)
        )
    for entry in m.RosterEntry.objects.all():
        cards = sorted(json.dumps(_plain(card), sort_keys=True) for card in entry.cards)
        rows.add(
            (
                entry.organization_id,
                entry.person_id,
                entry.oid,
                entry.name,
                entry.search_name,
                entry.snils,
                entry.birth_date,
                entry.gender,
                entry.status,
                tuple(cards),
                tuple(sorted(facets.get((entry.organization_id, entry.person_id), set()))),
            )
        )
    return rows


def _plain(card: dict[str, Any]) -> dict[str, Any]:
    # The rate as a number: SQLite's text of a decimal and PostgreSQL's numeric differ in zeros only.
    return {**card, "rate": str(Decimal(str(card["rate"])).normalize())}


def assert_facets_match_the_cards() -> None:
    """Independently of the roster's SQL: each row's facets are its cards' departments and positions."""
    expected: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for card in m.EmploymentCard.objects.all():
        own = expected.setdefault((card.organization_id, card.person_id), set())
        own |= {
            (m.RosterFacet.Kind.DEPARTMENT, card.department_id),
            (m.RosterFacet.Kind.POSITION, card.position_id),
        }
    held: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for facet in m.RosterFacet.objects.all():
        held.setdefault((facet.organization_id, facet.person_id), set()).add((facet.kind, facet.value))
    assert held == expected
    assert m.RosterFacet.objects.count() == sum(len(own) for own in expected.values())


def assert_exact() -> None:
    assert_facets_match_the_cards()
    kept = snapshot()
    roster_rebuild()
    assert kept == snapshot()


class World:
    """The register the random writes act on: two organizations, their departments and positions."""

    def __init__(self, orgs: list[m.Organization]) -> None:
        self.orgs = orgs
        self.positions = [
            dict_entry(oids.POSITIONS, "t-therapist", "врач-терапевт"),
            dict_entry(oids.POSITIONS, "t-nurse", "медицинская сестра"),
        ]
        self.position_type = dict_entry(oids.POSITION_TYPES, "1", "основное место работы")
        self.reason = dict_entry(oids.DISMISSAL_REASONS, "1", "по собственному желанию")
        self.counter = 0

    def next_snils(self) -> str:
        self.counter += 1
        return valid_snils(50_000 + self.counter + m.Person.objects.count() * 7)

    def department(self, org: m.Organization, pick: int) -> m.Department:
        departments = list(org.departments.order_by("pk"))
        return departments[pick % len(departments)]


def apply(world: World, op: str, a: int, b: int, tmp: Path) -> None:
    org = world.orgs[a % len(world.orgs)]
    persons = list(m.Person.objects.order_by("pk"))
    person = persons[b % len(persons)] if persons else None
    cards = list(m.EmploymentCard.objects.filter(organization=org).order_by("pk"))
    card = cards[b % len(cards)] if cards else None
    if op == "create":
        person_create(
            actor=SYSTEM,
            organization=org,
            data={
                "snils": world.next_snils(),
                "last_name": SURNAMES[a % len(SURNAMES)],
                "first_name": FIRST[b % len(FIRST)],
                "patronymic": "Петровна" if b % 2 else "",
                "gender": m.Gender.FEMALE,
                "birth_date": datetime.date(1980 + a % 20, 1 + b % 12, 1),
            },
        )
    elif op == "rename" and person is not None:
        person_update(
            actor=SYSTEM,
            organization=None,
            person=person,
            data={
                "last_name": SURNAMES[(a + 1) % len(SURNAMES)],
                "birth_date": datetime.date(1990, 1, 1 + a % 28),
            },
        )
    elif op == "hire" and person is not None:
        card_hire(
            actor=SYSTEM,
            organization=org,
            person=person,
            data={
                "department": world.department(org, a),
                "position": world.positions[b % 2],
                "position_type": world.position_type,
                "rate": Decimal("0.50"),
                "begin_date": datetime.date(2020, 1, 1 + a % 28),
            },
        )
    elif op == "dismiss" and card is not None and card.end_date is None:
        card_dismiss(
            actor=SYSTEM,
            organization=org,
            card=card,
            end_date=datetime.date(2024, 1, 1),
            end_reason=world.reason,
        )
    elif op == "transfer" and card is not None and card.end_date is None:
        card_transfer(
            actor=SYSTEM,
            organization=org,
            card=card,
            data={
                "transfer_date": datetime.date(2024, 6, 1),
                "department": world.department(org, a + 1),
                "position": world.positions[(b + 1) % 2],
            },
        )
    elif op == "delete_card" and card is not None:
        card_delete(actor=SYSTEM, organization=org, card=card)
    elif op == "delete_person" and person is not None:
        if (
            person.created_by_organization_id
            and not person.cards.exclude(organization_id=person.created_by_organization_id).exists()
        ):
            person_delete(actor=SYSTEM, organization=person.created_by_organization, person=person)
    elif op == "department":
        if a % 3 == 0:
            department_create(actor=SYSTEM, organization=org, name=f"Отделение {world.next_snils()}")
        else:
            department = world.department(org, b)
            department_update(
                actor=SYSTEM, organization=org, department=department, data={"name": f"{department.name}+"}
            )
    elif op == "position":
        entry = world.positions[a % 2]
        name = entry.name.rstrip("+") + ("+" if b % 2 else "")
        dictionary_sync(oid=oids.POSITIONS, entries=[EntryData(code=entry.code, name=name, row=1)])
    elif op == "import":
        rows = [_import_row(world, b, new=True), *([_import_row(world, b, person=person)] if person else [])]
        path = tmp / f"import-{world.counter}.csv"
        path.write_bytes(("\r\n".join([";".join(HEADERS), *(";".join(r) for r in rows)]) + "\r\n").encode())
        run_import(organization=org, actor=SYSTEM, path=path, name=path.name, dry_run=False)


def _import_row(world: World, b: int, *, new: bool = False, person: m.Person | None = None) -> list[str]:
    values = {column.key: column.example for column in COLUMNS}
    values["department"] = "Терапевтическое отделение"
    if new or person is None:
        values["snils"] = world.next_snils()
        values["last_name"] = SURNAMES[b % len(SURNAMES)]
    else:
        values["snils"] = person.snils
        values["last_name"], values["first_name"] = person.last_name, person.first_name
        values["patronymic"] = person.patronymic
        values["birth_date"] = person.birth_date.strftime("%d.%m.%Y")
        if b % 2:
            values["end_date"] = "01.02.2025"
            values["end_reason"] = "По собственному желанию"
    return [values[column.key] for column in COLUMNS]


OPS = [
    "create",
    "rename",
    "hire",
    "dismiss",
    "transfer",
    "delete_card",
    "delete_person",
    "department",
    "position",
    "import",
]


@pytest.fixture
def world(db: None, org_a: m.Organization, org_b: m.Organization) -> World:
    call_command("load_dictionaries", stdout=StringIO())
    for org in (org_a, org_b):
        department_create(actor=SYSTEM, organization=org, name="Хирургическое отделение")
    return World([org_a, org_b])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=12)
)
def test_every_write_path_keeps_the_roster_exact(
    world: World, tmp_path: Path, ops: list[tuple[str, int, int]]
) -> None:
    for op, a, b in ops:
        try:
            apply(world, op, a, b, tmp_path)
        except Exception as error:  # a refused write (e.g. a dismissal before the hire) writes nothing
            if type(error).__name__ not in {"ValidationError", "PermissionDenied", "StaleVersionError"}:
                raise
        assert_exact()


def test_import_rows_reach_the_roster(world: World, tmp_path: Path) -> None:
    """The import (COPY on PostgreSQL) refreshes its chunk: the new person is in the list at once."""
    org = world.orgs[0]
    apply(world, "import", 0, 0, tmp_path)
    names = set(m.RosterEntry.objects.filter(organization=org).values_list("search_name", flat=True))
    assert any(name.startswith("КУЗНЕЦОВА") for name in names)
    assert_exact()


def test_rebuild_command(world: World) -> None:
    apply(world, "create", 0, 0, Path("."))
    m.RosterEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_roster", stdout=out)
    assert "строк в списке — 1" in out.getvalue()
    assert m.RosterEntry.objects.get().status == m.RosterStatus.ENTERED


def test_api_write_reaches_the_roster(world: World) -> None:
    """The integration API writes through the services, and so through the roster's refresh."""
    org = world.orgs[0]
    apply(world, "create", 0, 0, Path("."))
    person = m.Person.objects.get()
    _, raw = api_token_create(organization=org, actor=SYSTEM, name="МИС")
    client = Client()
    response = client.delete(
        f"/api/frmr/person?mo={org.oid}&oid={person.oid}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code in (200, 204), response.content
    assert not m.RosterEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the import's COPY path")
def test_copy_path_is_used(world: World) -> None:
    from frmr.imports.writer import copy_available

    assert copy_available()
