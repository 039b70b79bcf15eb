from __future__ import annotations

import pytest

from frmr.accounts.models import Role, RoleGrant, User
from frmr.accounts.roles import ROLE_HOMES, WORKER, RoleChoice, role_home_url
from frmr.accounts.selectors import user_has_role, user_roles
from tests.esia_people import make_ivanova, make_organization

pytestmark = pytest.mark.django_db


def test_worker_role_comes_from_the_register_link() -> None:
    user = User.objects.create(username="u")
    assert user_roles(user=user) == []
    user.person = make_ivanova()
    user.save()
    assert user_roles(user=user) == [RoleChoice(role=WORKER)]


def test_grants_follow_the_worker_role_one_per_organization() -> None:
    user = User.objects.create(username="u", person=make_ivanova())
    first = make_organization()
    second = make_organization("ГБУЗ «Поликлиника № 5»", n=2)
    RoleGrant.objects.create(user=user, role=Role.ADMIN)
    RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=second)
    RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=first)
    roles = user_roles(user=user)
    assert [(r.role, r.organization_name) for r in roles] == [
        ("worker", ""),
        ("operator", "ГБУЗ «Городская клиническая больница № 1»"),
        ("operator", "ГБУЗ «Поликлиника № 5»"),
        ("admin", ""),
    ]
    assert roles[1].key == f"operator:{first.pk}"
    assert user_has_role(user=user, choice=roles[2])
    assert not user_has_role(user=user, choice=RoleChoice(role="operator", organization_id=999999))


def test_role_homes_resolve_or_say_none() -> None:
    assert role_home_url("admin") == "/admin/"
    assert role_home_url(WORKER) == "/lk/"
    assert role_home_url("fac_staff") == role_home_url("secretary") == "/fac/"
    assert role_home_url("operator") == "/mo/"
    assert role_home_url("unknown") is None
    assert set(ROLE_HOMES) == {WORKER, *Role.values}


def test_session_round_trip() -> None:
    choice = RoleChoice(role="operator", organization_id=3, organization_name="ГКБ")
    assert RoleChoice.from_session(choice.as_session()) == choice
    assert RoleChoice.from_session({"role": "superhero"}) is None
    assert RoleChoice.from_session("worker") is None
