"""List pages run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frmr.accounts.models import User
from frmr.corrections.services import correction_request_create
from frmr.integration.services import api_token_create
from frmr.registry.models import Organization, Person
from frmr.registry.services import person_update
from tests.factories import EmploymentCardFactory, PersonFactory, UserFactory


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_employees(org: Organization, n: int) -> list[Person]:
    people = []
    for _ in range(n):
        person = PersonFactory()
        EmploymentCardFactory(person=person, organization=org, department=org.departments.get())
        people.append(person)
    return people


@pytest.mark.parametrize("query", ["", "Иванова", "100-000"])
def test_employees_list(operator_client: Client, org_a: Organization, query: str) -> None:
    add_employees(org_a, 1)
    url = reverse("mo:home") + f"?q={query}"
    few = count(operator_client, url)
    add_employees(org_a, 6)
    assert count(operator_client, url) == few
    assert few <= 14


def test_corrections_history_tokens(operator_client: Client, operator_a: User, org_a: Organization) -> None:
    (person,) = add_employees(org_a, 1)

    def grow() -> None:
        user = UserFactory(person=person)
        correction_request_create(
            actor=user, organization=org_a, section="personal", text="x", expected_value="y"
        )
        api_token_create(organization=org_a, actor=operator_a, name=f"t{user.pk}")
        person_update(
            actor=operator_a, organization=org_a, person=person, data={"birth_place": f"г. {user.pk}"}
        )

    grow()
    urls = [reverse("mo:corrections"), reverse("mo:history", args=[person.oid]), reverse("mo:tokens")]
    few = [count(operator_client, url) for url in urls]
    for _ in range(4):
        grow()
    assert [count(operator_client, url) for url in urls] == few


def test_person_page(operator_client: Client, org_a: Organization) -> None:
    (person,) = add_employees(org_a, 1)
    few = count(operator_client, reverse("mo:person", args=[person.oid]))
    for _ in range(3):
        EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    assert count(operator_client, reverse("mo:person", args=[person.oid])) == few


def test_large_lists_are_counted_up_to_the_cap(
    operator_client: Client, org_a: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frmr.registry import search
    from web.mo.views import employees

    monkeypatch.setattr(search, "COUNT_CAP", 3)
    monkeypatch.setattr(employees, "PAGE_SIZE", 2)
    add_employees(org_a, 7)
    first = operator_client.get(reverse("mo:home")).content.decode()
    assert "Найдено: более 3<" in first and "Вперёд" in first

    monkeypatch.setattr(search, "COUNT_CAP", 10)  # under the cap: the exact total
    assert "Найдено: 7<" in operator_client.get(reverse("mo:home")).content.decode()


@pytest.mark.parametrize("params", [{}, {"q": "Иванова"}, {"status": "current"}])
def test_pages_by_cursor_walk_the_whole_list_both_ways(
    operator_client: Client, org_a: Organization, monkeypatch: pytest.MonkeyPatch, params: dict[str, str]
) -> None:
    from frmr.registry import search
    from web.mo.views import employees

    monkeypatch.setattr(employees, "PAGE_SIZE", 3)
    people = add_employees(org_a, 8)
    expected = sorted(people, key=lambda p: (p.full_name.upper(), p.pk))

    def page(extra: dict[str, str]) -> tuple[list[str], str | None, str | None]:
        arguments = {"query" if key == "q" else key: value for key, value in {**params, **extra}.items()}
        found = search.employees_page(organization=org_a, size=3, **arguments)  # type: ignore[arg-type]
        return [row.oid for row in found.rows], found.previous_cursor, found.next_cursor

    seen: list[str] = []
    oids, previous, after = page({})
    assert previous is None
    pages = [oids]
    while after:
        seen += oids
        oids, previous, after = page({"after": after})
        assert previous is not None
        pages.append(oids)
    seen += oids
    if "q" not in params:
        assert seen == [p.oid for p in expected]
    assert sorted(seen) == sorted(p.oid for p in people) and len(pages) == 3
    # And back from the last page to the first, through «Назад».
    back = [oids]
    while previous:
        oids, previous, _ = page({"before": previous})
        back.append(oids)
    assert back == list(reversed(pages))

    # The view runs the same queries on a deep page as on the first, and links both ways.
    url = reverse("mo:home")
    first_html = operator_client.get(url, params).content.decode()
    assert "Вперёд" in first_html and "Назад" not in first_html
    cursor = first_html.split("after=")[1].split('"')[0]
    deep = operator_client.get(url, {**params, "after": cursor}).content.decode()
    assert "Назад" in deep and "В начало" in deep


def test_a_damaged_cursor_shows_the_first_page(operator_client: Client, org_a: Organization) -> None:
    add_employees(org_a, 2)
    for cursor in ["", "!!!", "WyJ4IiwxXQ", "WyJuIiwiYSIsImIiXQ"]:
        response = operator_client.get(reverse("mo:home"), {"after": cursor, "before": cursor})
        assert response.status_code == 200 and "Найдено: 2<" in response.content.decode()
