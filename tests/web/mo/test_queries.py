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
    from web.mo.views import employees
    from web.mo.views.common import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    monkeypatch.setattr(employees, "PAGE_SIZE", 2)
    add_employees(org_a, 7)
    first = operator_client.get(reverse("mo:home")).content.decode()
    assert "Найдено: более 3<" in first
    assert "Страница 1<" in first and "Вперёд" in first  # no total pages, but the pager goes on
    second = operator_client.get(reverse("mo:home"), {"page": 2}).content.decode()
    assert "Страница 2<" in second and "Назад" in second

    monkeypatch.setattr(CappedPaginator, "CAP", 10)  # under the cap: the exact total, as before
    exact = operator_client.get(reverse("mo:home")).content.decode()
    assert "Найдено: 7" in exact and "Страница 1 из 4" in exact
