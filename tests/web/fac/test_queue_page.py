"""The queue page: search box, filters, cursor links, a fixed number of queries, only the centre."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from frmr.accounts.models import User
from tests.accreditation_helpers import (
    make_person,
    make_worker,
    registered_application,
    submitted_application,
)

pytestmark = pytest.mark.django_db


def applicant(last: str = "Иванова", first: str = "Нина") -> User:
    return make_worker(person=make_person(last_name=last, first_name=first, patronymic="Петровна"))


def test_search_by_typo_and_by_number(client: Client, fac_staff: User) -> None:
    wanted = registered_application(applicant("Кузнецова", "Мария"), fac_staff)
    other = submitted_application(applicant("Смирнова", "Анна"))
    client.force_login(fac_staff)
    text = client.get("/fac/", {"q": "кузнецвоа мария"}).content.decode()
    assert f"/fac/applications/{wanted.pk}/" in text and f"/fac/applications/{other.pk}/" not in text
    assert "Кузнецова Мария Петровна" in text and f"№ {wanted.registration_number}" in text
    assert 'value="кузнецвоа мария"' in text  # the query stays in the box
    text = client.get("/fac/", {"q": wanted.registration_number}).content.decode()
    assert f"/fac/applications/{wanted.pk}/" in text and f"/fac/applications/{other.pk}/" not in text
    text = client.get("/fac/", {"q": "Никого Такого"}).content.decode()
    assert "Заявлений с такими условиями нет" in text


def test_next_and_back_links_follow_the_cursor(client: Client, fac_staff: User, monkeypatch) -> None:
    import frmr.accreditation.queue as queue

    applications = [submitted_application(applicant()) for _ in range(3)]
    client.force_login(fac_staff)
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    first = client.get("/fac/").content.decode()
    assert "Всего 3" in first and "← Назад" not in first
    after = re.search(r'href="\?after=([^"]+)"', first)
    assert after
    second = client.get("/fac/", {"after": after.group(1)}).content.decode()
    assert f"/fac/applications/{applications[2].pk}/" in second
    assert f"/fac/applications/{applications[0].pk}/" not in second
    assert "← Назад" in second and "В начало" in second and "Дальше →" not in second


def test_other_users_see_no_queue(client: Client, worker: User, operator_a: User) -> None:
    submitted_application(worker)
    for user in (worker, operator_a):
        client.force_login(user)
        response = client.get("/fac/", {"q": "Иванова"})
        assert response.status_code == 403 and "/fac/applications/" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "Ивнаова"},  # a typo: spellings from the lexicon
        {"q": "Иванова Нина", "status": "all", "deadline": "3"},
        {"q": "2026-ПРА-000001"},
        {"specialty": "1001", "region": "75", "kind": "3"},
    ],
)
def test_query_count_does_not_grow(
    client: Client, fac_staff: User, params: dict[str, str], django_assert_max_num_queries
) -> None:
    client.force_login(fac_staff)
    submitted_application(applicant())
    client.get("/fac/", params)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/fac/", params).status_code == 200
    for _ in range(5):
        submitted_application(applicant())
    with CaptureQueriesContext(connection) as many:
        client.get("/fac/", params)
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get("/fac/", params)
