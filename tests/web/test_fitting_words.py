"""Russian that fits the person on the pages (issue 12.9): gendered words, one phone format, one name for
the register number, the admin's task table and the emulator's demo table without English."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from frmr.accounts.models import User
from frmr.accreditation.labels import status_label
from frmr.nsi import oids
from frmr.registry import models as m
from tests.factories import EmploymentCardFactory, dict_entry

pytestmark = pytest.mark.django_db

PARENS = re.compile(r"\w\(а\)")


@pytest.fixture
def login(client: Any) -> Any:
    def log_in(user: User) -> Any:
        client.force_login(user)
        return client

    return log_in


def test_the_operator_sees_a_dismissed_woman_as_уволена(
    login: Any, operator_a: User, worker: User, org_a: Any
) -> None:
    person = worker.person
    person.gender = m.Gender.FEMALE
    person.phone = "+79165554433"
    person.save()
    EmploymentCardFactory(
        person=person,
        organization=org_a,
        end_date=datetime.date(2024, 3, 31),
        end_reason=dict_entry(oids.DISMISSAL_REASONS, "1", "по собственному желанию"),
    )
    client = login(operator_a)
    page = client.get(reverse("mo:person", kwargs={"oid": person.oid})).content.decode()
    assert "уволена 31.03.2024" in page
    assert not PARENS.search(page)
    assert "+7 916 555-44-33" in page
    assert "Номер в регистре" in page and "OID в регистре" not in page
    listing = client.get(reverse("mo:home"), {"status": "all"}).content.decode()
    assert not PARENS.search(listing)


def test_another_organization_does_not_see_the_person(login: Any, operator_b: User, worker: User) -> None:
    response = login(operator_b).get(reverse("mo:person", kwargs={"oid": worker.person.oid}))
    assert response.status_code == 404


def test_status_names_agree_with_the_applicant() -> None:
    woman, man = m.Person(gender=m.Gender.FEMALE), m.Person(gender=m.Gender.MALE)
    assert status_label("accredited", woman) == "Аккредитована"
    assert status_label("not_accredited", woman) == "Не аккредитована"
    assert status_label("accredited", man) == "Аккредитован"
    assert status_label("submitted", woman) == "Отправлено — ожидает проверки"


def test_the_worker_page_names_what_the_contacts_page_edits(login: Any, worker: User) -> None:
    worker.person.phone = "+79165554433"
    worker.person.save()
    client = login(worker)
    page = client.get(reverse("lk:section", kwargs={"slug": "personal"})).content.decode()
    assert "Изменить телефон и почту" in page and "Изменить личные данные" not in page
    assert "+7 916 555-44-33" in page
    assert "Номер в регистре" in page


def test_the_admin_task_table_is_in_russian(client: Any, admin_user: User) -> None:
    client.force_login(admin_user)
    page = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "Журнал задач" in page and "Фоновые задачи" in page
    for english in ("Task Result", "Tasks Database", "Enqueued at", "Queue name", "Task name"):
        assert english not in page


def test_the_admin_task_table_is_closed_to_a_worker(client: Any, worker: User) -> None:
    client.force_login(worker)
    response = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert response.status_code == 302 and "/login/" in response["Location"]
