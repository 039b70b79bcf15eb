"""The database holds the rules even when the services are bypassed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from frmr.accounts.models import Role, RoleGrant
from tests.factories import AbsenceFactory, EmploymentCardFactory, PersonFactory, UserFactory


def refused_by_database(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
def test_constraints_without_services() -> None:
    refused_by_database(lambda: EmploymentCardFactory(rate=Decimal("1.5")))
    refused_by_database(
        lambda: EmploymentCardFactory(
            begin_date=datetime.date(2020, 1, 1), end_date=datetime.date(2019, 1, 1)
        )
    )
    refused_by_database(
        lambda: AbsenceFactory(begin_date=datetime.date(2022, 1, 2), end_date=datetime.date(2022, 1, 1))
    )
    person = PersonFactory()
    refused_by_database(lambda: PersonFactory(snils=person.snils))
    refused_by_database(lambda: PersonFactory(snils="1234"))
    user = UserFactory()
    refused_by_database(lambda: RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=None))
    RoleGrant.objects.create(user=user, role=Role.FAC_STAFF)
    refused_by_database(lambda: RoleGrant.objects.create(user=user, role=Role.FAC_STAFF))
