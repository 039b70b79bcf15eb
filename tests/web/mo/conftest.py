from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from frmr.accounts.models import User
from frmr.registry.models import Organization, Person
from tests.factories import EmploymentCardFactory, PersonFactory


@pytest.fixture
def dictionaries(db: None) -> None:
    call_command("load_dictionaries", stdout=StringIO())


@pytest.fixture
def operator_client(client: Client, operator_a: User, dictionaries: None) -> Client:
    client.force_login(operator_a)
    return client


@pytest.fixture
def employee(org_a: Organization) -> Person:
    """Кузнецова Мария Викторовна, a current employee of org_a."""
    person = PersonFactory(last_name="Кузнецова", first_name="Мария", patronymic="Викторовна")
    EmploymentCardFactory(
        person=person,
        organization=org_a,
        department=org_a.departments.get(),
        begin_date=datetime.date(2019, 3, 1),
    )
    return person


@pytest.fixture
def stranger(org_b: Organization) -> Person:
    """Employed by org_b only."""
    person = PersonFactory(last_name="Смирнова", first_name="Ольга", patronymic="Ивановна")
    EmploymentCardFactory(person=person, organization=org_b, department=org_b.departments.get())
    return person
