"""The header menu's links to the cabinets of a user's roles."""

from __future__ import annotations

import pytest

from frmr.accounts.models import Role, RoleGrant, User
from web.auth.context_processors import menu_links

pytestmark = pytest.mark.django_db


def test_a_worker_gets_no_extra_links(worker: User) -> None:
    assert menu_links(user=worker) == []


def test_centre_and_commission_share_one_link(fac_staff: User) -> None:
    RoleGrant.objects.create(user=fac_staff, role=Role.SECRETARY)
    assert [(link.label, link.url) for link in menu_links(user=fac_staff)] == [
        ("Заявления на аккредитацию", "/fac/")
    ]


def test_every_role_home_that_exists(admin_user: User, operator_a: User) -> None:
    assert [link.url for link in menu_links(user=admin_user)] == ["/admin/"]
    assert [link.url for link in menu_links(user=operator_a)] == ["/mo/"]


def test_the_menu_costs_nothing_on_pages_without_it(client, worker: User, django_assert_num_queries) -> None:
    from django.test import RequestFactory

    from web.auth.context_processors import role_menu

    request = RequestFactory().get("/")
    request.user = worker
    with django_assert_num_queries(0):
        context = role_menu(request)
    with django_assert_num_queries(1):
        assert context["role_menu_links"]() == []
        assert context["role_menu_links"]() == []
