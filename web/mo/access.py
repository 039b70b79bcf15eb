"""Who may open the employer cabinet, and for which organization they act in it.

Every view needs an operator RoleGrant (`frmr/accounts/permissions.py: operator_organizations`) and
takes `(request: AuthenticatedHttpRequest, cabinet: Cabinet, …)`. The organization acted for is the
one chosen with the switcher (kept in the session), else the one chosen at login (the active role),
else the user's first.
Another organization's objects are looked up through selectors scoped to this one and answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Concatenate, ParamSpec

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from frmr.accounts.models import Role, User
from frmr.accounts.permissions import operator_organizations
from frmr.accounts.roles import RoleChoice
from frmr.registry.models import Organization
from web.auth.access import AuthenticatedHttpRequest, View, login_required
from web.auth.session import get_active_role, set_active_role

SESSION_KEY = "mo.organization_id"


@dataclass(frozen=True)
class Cabinet:
    """The operator and the organization they act for in this request."""

    user: User
    organization: Organization
    organizations: list[Organization]


P = ParamSpec("P")
# A cabinet view takes the typed request and the operator's Cabinet, then its URL's arguments.
CabinetView = Callable[Concatenate[AuthenticatedHttpRequest, Cabinet, P], HttpResponseBase]


def _chosen_id(request: HttpRequest) -> int | None:
    # The role chooser (web/auth) and the cabinet's switcher both set the active role; the cabinet's
    # own key remains for a session that never went through the chooser.
    active = get_active_role(request)
    if active is not None and active.role == Role.OPERATOR.value:
        return active.organization_id
    chosen = request.session.get(SESSION_KEY)
    return chosen if isinstance(chosen, int) else None


def remember_organization(request: HttpRequest, organization: Organization) -> None:
    request.session[SESSION_KEY] = organization.pk
    set_active_role(
        request,
        RoleChoice(
            role=Role.OPERATOR.value,
            organization_id=organization.pk,
            organization_name=organization.name_short,
        ),
    )


def operator_required(view: CabinetView[P]) -> View[P]:
    """Anonymous → the login page; no operator role → 403; else `view(request, cabinet, …)`."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        organizations = operator_organizations(request.user)
        if not organizations:
            return render(request, "mo/forbidden.html", status=403)
        chosen = _chosen_id(request)
        organization = next((o for o in organizations if o.pk == chosen), organizations[0])
        cabinet = Cabinet(user=request.user, organization=organization, organizations=organizations)
        return view(request, cabinet, *args, **kwargs)

    return login_required(wrapper)
