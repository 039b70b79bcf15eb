"""frmr/accounts/permissions.py: each role allowed and refused, and the grants read once per user object."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from frmr.accounts import permissions as p
from frmr.accounts.models import Role, RoleGrant, User
from frmr.audit.actors import SYSTEM
from frmr.registry.models import Organization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The same user as a new object, as the next request would load it."""
    return User.objects.get(pk=user.pk)


# ----------------------------------------------------------------------------------------- Operators


def test_operator_acts_for_their_organization_only(
    operator_a: User, org_a: Organization, org_b: Organization
) -> None:
    assert p.acts_for(operator_a, org_a.pk) and p.is_operator_of(operator_a, org_a.pk)
    assert not p.acts_for(operator_a, org_b.pk) and not p.is_operator_of(operator_a, org_b.pk)
    assert p.operator_organizations(operator_a) == [org_a]
    assert p.has_role(operator_a, Role.OPERATOR)
    assert not p.is_admin(operator_a)
    p.ensure_acts_for(actor=operator_a, organization=org_a)
    with pytest.raises(PermissionDenied) as refused:
        p.ensure_acts_for(actor=operator_a, organization=org_b)
    assert str(refused.value.args[0]) == (
        f"Вы не можете действовать от имени организации «{org_b}»: у вас нет роли оператора этой организации."
    )


def test_operator_of_two_organizations_lists_them_by_short_name(
    org_a: Organization, org_b: Organization
) -> None:
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=org_b)
    RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=org_a)
    # «Городская больница № 1» sorts before «Городская поликлиника № 2».
    assert p.operator_organizations(_fresh(user)) == [org_a, org_b]
    assert p.acts_for(user, org_a.pk) and p.acts_for(user, org_b.pk)


def test_no_organization_is_for_administrators_only(operator_a: User) -> None:
    with pytest.raises(PermissionDenied) as refused:
        p.ensure_acts_for(actor=operator_a, organization=None)
    assert refused.value.args[0] == "Это действие доступно только администратору регистра."
    with pytest.raises(PermissionDenied):
        p.ensure_admin(actor=operator_a)


# ------------------------------------------------------------------------------------ Administrators


def test_admin_grant_acts_for_any_organization(org_a: Organization) -> None:
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.ADMIN)
    assert p.is_admin(user) and p.acts_for(user, org_a.pk)
    assert not p.is_operator_of(user, org_a.pk)
    assert p.operator_organizations(user) == []
    p.ensure_acts_for(actor=user, organization=org_a)
    p.ensure_acts_for(actor=user, organization=None)
    p.ensure_admin(actor=user)


def test_superuser_without_grants_is_an_administrator(org_a: Organization) -> None:
    user = UserFactory(is_superuser=True)
    assert p.is_admin(user) and p.acts_for(user, org_a.pk)
    p.ensure_admin(actor=user)


def test_the_system_is_trusted_and_nobody_is_no_administrator(org_a: Organization) -> None:
    p.ensure_acts_for(actor=SYSTEM, organization=org_a)
    p.ensure_acts_for(actor=SYSTEM, organization=None)
    p.ensure_admin(actor=SYSTEM)
    assert p.trusted_or_admin(SYSTEM)
    assert not p.is_admin(SYSTEM)
    assert not p.is_admin(None)
    with pytest.raises(TypeError):
        p.ensure_admin(actor=None)  # type: ignore[arg-type]  # nobody acts implicitly


# --------------------------------------------------------------------------- The centre and the commission


def test_fac_staff_processes_and_reads_but_does_not_decide(fac_staff: User, org_a: Organization) -> None:
    assert p.is_fac_staff(fac_staff) and p.can_read_applications(fac_staff)
    assert not p.is_secretary(fac_staff)
    assert p.records_accreditation(fac_staff)
    assert not p.acts_for(fac_staff, org_a.pk) and not p.is_admin(fac_staff)


def test_secretary_decides_and_reads_but_does_not_process(secretary: User) -> None:
    assert p.is_secretary(secretary) and p.can_read_applications(secretary)
    assert not p.is_fac_staff(secretary)
    assert p.records_accreditation(secretary)


def test_operator_and_worker_have_no_centre_role(operator_a: User, worker: User) -> None:
    for user in (operator_a, worker):
        assert not p.can_read_applications(user) and not p.records_accreditation(user)
        assert not p.is_fac_staff(user) and not p.is_secretary(user)


def test_anonymous_nobody_and_inactive_hold_no_role(fac_staff: User) -> None:
    for nobody in (None, AnonymousUser()):
        assert not p.has_role(nobody, Role.FAC_STAFF) and not p.can_read_applications(nobody)
    fac_staff.is_active = False
    assert not p.is_fac_staff(fac_staff)


# ----------------------------------------------------------------------------------- Read once, forget


def test_every_question_about_one_user_object_costs_one_query(
    operator_a: User, org_a: Organization, org_b: Organization, django_assert_num_queries: Any
) -> None:
    user = _fresh(operator_a)
    with django_assert_num_queries(1):
        p.ensure_acts_for(actor=user, organization=org_a)
        assert not p.acts_for(user, org_b.pk)
        assert not p.is_admin(user) and not p.can_read_applications(user)
        assert p.operator_organizations(user)[0].region is not None  # the switcher shows the region
        assert p.grants_of(user).rows[0].organization == org_a


def test_a_grant_saved_or_deleted_with_the_same_object_is_seen_at_once(org_a: Organization) -> None:
    user = UserFactory()
    assert not p.acts_for(user, org_a.pk)
    grant = RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=org_a)
    assert p.acts_for(user, org_a.pk)
    grant.delete()
    assert not p.acts_for(user, org_a.pk)


def test_a_grant_given_elsewhere_is_seen_by_the_next_request_object(org_a: Organization) -> None:
    user = UserFactory()
    assert not p.acts_for(user, org_a.pk)
    RoleGrant.objects.create(user=_fresh(user), role=Role.OPERATOR, organization=org_a)
    assert not p.acts_for(user, org_a.pk)  # this object keeps what it read
    assert p.acts_for(_fresh(user), org_a.pk)
    p.forget_grants(user)
    assert p.acts_for(user, org_a.pk)


def _grant_reads(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('"accounts_rolegrant"' in query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("url", ["/mo/", "/mo/organization/", "/mo/corrections/"])
def test_one_request_of_the_employer_cabinet_reads_the_grants_once(
    operator_a: User, client: Client, url: str
) -> None:
    client.force_login(operator_a)
    # The cabinet's decorator, the role menu and the services all ask; the grants are read once.
    assert _grant_reads(client, url) == 1


def test_one_request_of_the_centre_reads_the_grants_once(fac_staff: User, client: Client) -> None:
    client.force_login(fac_staff)
    assert _grant_reads(client, "/fac/") == 1


def test_one_request_of_the_workers_cabinet_reads_the_grants_once(worker: User, client: Client) -> None:
    client.force_login(worker)
    assert _grant_reads(client, "/lk/") == 1
