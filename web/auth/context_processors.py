"""The header menu's links to the cabinets of the roles a user holds besides the worker's own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from frmr.accounts.models import Role, User
from frmr.accounts.roles import WORKER
from frmr.accounts.selectors import user_roles

# What the menu calls each role's home page (the worker's cabinet has its own items).
MENU_LABELS: dict[str, StrOrPromise] = {
    Role.OPERATOR.value: gettext_lazy("Кабинет медицинской организации"),
    Role.FAC_STAFF.value: gettext_lazy("Заявления на аккредитацию"),
    Role.SECRETARY.value: gettext_lazy("Заявления на аккредитацию"),
    Role.ADMIN.value: gettext_lazy("Администрирование"),
}


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str


def menu_links(*, user: User) -> list[MenuLink]:
    """One link per cabinet that exists, in the order of the roles; a shared home is listed once."""
    links: list[MenuLink] = []
    for choice in user_roles(user=user):
        url = choice.home_url
        if choice.role == WORKER or url is None or any(link.url == url for link in links):
            continue
        links.append(MenuLink(label=str(MENU_LABELS.get(choice.role, choice.label)), url=url))
    return links


def role_menu(request: HttpRequest) -> dict[str, Any]:
    """`role_menu_links` for the header: one query, run only when a template shows the menu."""
    result: list[list[MenuLink]] = []

    def links() -> list[MenuLink]:
        if not result:
            user = getattr(request, "user", None)
            authenticated = isinstance(user, User) and user.is_authenticated
            result.append(menu_links(user=user) if authenticated else [])  # type: ignore[arg-type]
        return result[0]

    getter: Callable[[], list[MenuLink]] = links
    return {"role_menu_links": getter}
