"""A worker with a complete personal file, for the cabinet's page tests."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from frmr.accounts.models import User
from frmr.nsi import oids
from frmr.registry.models import Organization, Person
from tests.factories import SECTION_FACTORIES, AbsenceFactory, EmploymentCardFactory, dict_entry


def fill_file(person: Person, organization: Organization, rows: int) -> None:
    """`rows` records in each section and `rows` past cards with an absence, entered by `organization`."""
    for factory in SECTION_FACTORIES.values():
        factory.create_batch(rows, person=person, organization=organization)
    reason = dict_entry(oids.DISMISSAL_REASONS, "1", "по собственному желанию")
    for n in range(rows):
        card = EmploymentCardFactory(
            person=person,
            organization=organization,
            department=organization.departments.get(),
            begin_date=datetime.date(2005 + n, 1, 1),
            end_date=datetime.date(2005 + n, 12, 31),
            end_reason=reason,
        )
        AbsenceFactory(
            card=card, begin_date=datetime.date(2005 + n, 2, 1), end_date=datetime.date(2005 + n, 3, 1)
        )


@pytest.fixture
def worker_client(client: Client, worker: User) -> Client:
    client.force_login(worker)
    return client


@pytest.fixture
def other_client(other_worker: User) -> Client:
    client = Client()
    client.force_login(other_worker)
    return client
