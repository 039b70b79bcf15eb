"""Reads about users: the roles they may act in, and what the worker's own cabinet shows."""

from __future__ import annotations

from frmr.accounts.models import Role, User
from frmr.accounts.permissions import grants_of
from frmr.accounts.roles import WORKER, RoleChoice
from frmr.registry.models import EmploymentCard

_ROLE_ORDER = {Role.OPERATOR: 1, Role.FAC_STAFF: 2, Role.SECRETARY: 3, Role.ADMIN: 4}


def user_roles(*, user: User) -> list[RoleChoice]:
    """Worker first (if the register knows the person), then each grant; an operator once per organization."""
    choices: list[RoleChoice] = []
    if user.person_id is not None:
        choices.append(RoleChoice(role=WORKER))
    ordered = sorted(grants_of(user).rows, key=lambda g: _ROLE_ORDER.get(Role(g.role), 99))
    for grant in ordered:
        organization = grant.organization
        choices.append(
            RoleChoice(
                role=grant.role,
                organization_id=organization.pk if organization else None,
                organization_name=organization.name_short if organization else "",
            )
        )
    return choices


def user_has_role(*, user: User, choice: RoleChoice) -> bool:
    return choice in user_roles(user=user)


def user_current_cards(*, user: User) -> list[EmploymentCard]:
    """The user's own current places of work (open employment cards); nobody else's."""
    if user.person_id is None:
        return []
    return list(
        EmploymentCard.objects.filter(person_id=user.person_id, end_date__isnull=True)
        .select_related("organization", "department", "position", "position_type")
        .order_by("-begin_date", "id")
    )
