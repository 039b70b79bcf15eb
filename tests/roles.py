"""The cast of every test suite: two organizations, their workers, and one user per role.

Registered from tests/conftest.py (`pytest_plugins`). Each fixture creates only what it names and what
that needs, so a test that asks for `operator_a` does not pay for ФАЦ staff.
"""

from __future__ import annotations

import datetime

import pytest

from frmr.accounts.models import Role, RoleGrant, User
from frmr.registry.models import Organization
from tests.factories import (
    DepartmentFactory,
    EmploymentCardFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)


def _organization(short: str, oid: str) -> Organization:
    organization = OrganizationFactory(name_short=short, name_full=f"ГБУЗ «{short}»", oid=oid)
    DepartmentFactory(organization=organization, oid=f"{oid}.0.1", name="Терапевтическое отделение")
    return organization


@pytest.fixture
def org_a(db: None) -> Organization:
    """«Городская больница № 1» with one department (`org_a.departments.get()`)."""
    return _organization("Городская больница № 1", "1.2.643.5.1.13.13.12.2.77.101")


@pytest.fixture
def org_b(db: None) -> Organization:
    return _organization("Городская поликлиника № 2", "1.2.643.5.1.13.13.12.2.77.102")


def _worker(organization: Organization, username: str, **person: object) -> User:
    someone = PersonFactory(**person)
    EmploymentCardFactory(
        person=someone,
        organization=organization,
        department=organization.departments.get(),
        begin_date=datetime.date(2020, 9, 1),
    )
    return UserFactory(
        username=username,
        esia_oid=f"esia-{username}",
        snils=someone.snils,
        last_name=someone.last_name,
        first_name=someone.first_name,
        patronymic=someone.patronymic,
        person=someone,
    )


@pytest.fixture
def worker(org_a: Organization) -> User:
    """A medical worker who logs in: `worker.person` has a current card in org_a."""
    return _worker(org_a, "worker")


@pytest.fixture
def other_worker(org_b: Organization) -> User:
    return _worker(
        org_b,
        "other_worker",
        last_name="Петров",
        first_name="Сергей",
        patronymic="Иванович",
        gender=1,
        birth_date=datetime.date(1979, 11, 2),
    )


def _staff(username: str, role: Role, organization: Organization | None = None) -> User:
    user = UserFactory(
        username=username, esia_oid=f"esia-{username}", last_name="Сидорова", first_name="Анна"
    )
    RoleGrant.objects.create(user=user, role=role, organization=organization)
    return user


@pytest.fixture
def operator_a(org_a: Organization) -> User:
    return _staff("operator_a", Role.OPERATOR, org_a)


@pytest.fixture
def operator_b(org_b: Organization) -> User:
    return _staff("operator_b", Role.OPERATOR, org_b)


@pytest.fixture
def fac_staff(db: None) -> User:
    return _staff("fac_staff", Role.FAC_STAFF)


@pytest.fixture
def secretary(db: None) -> User:
    return _staff("secretary", Role.SECRETARY)


@pytest.fixture
def admin_user(db: None) -> User:
    """A superuser with the admin role, password TEST_PASSWORD; overrides pytest-django's fixture."""
    user = UserFactory(
        username="admin",
        last_name="Администраторов",
        first_name="Алексей",
        is_staff=True,
        is_superuser=True,
        with_password=True,
    )
    RoleGrant.objects.create(user=user, role=Role.ADMIN)
    return user
