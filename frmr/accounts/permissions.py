"""Who may do what: every role decision of the register, in one place (the table is docs/permissions.md).

A user's grants are read in one query the first time any question is asked about them and kept on the
user object. Django builds `request.user` afresh for every request, so within a request the answer
costs one query however many views, services and selectors ask; a grant given or taken away is seen by
the next request. A grant saved or deleted through an instance that holds the same user object clears
what that object remembers (`forget_grants`), so code and tests that change grants in one go see it.

Services keep their own messages: `ensure_acts_for` and `ensure_admin` raise the PermissionDenied the
registry has always raised; other refusals (a correction answered by another organization, the
commission's decision by somebody else) are the calling service's, built on the predicates here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.accounts.models import Role, RoleGrant, User
from frmr.audit.actors import Actor, ActorLike, acting_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from frmr.registry.models import Organization

_CACHE_ATTRIBUTE = "_frmr_grants"

ADMIN_ONLY = gettext_lazy("Это действие доступно только администратору регистра.")


@dataclass(frozen=True)
class Grants:
    """What a user's RoleGrant rows say, read once; ask through the functions below, not this."""

    roles: frozenset[str]
    # Ordered by short name: the employer cabinet's switcher and its default choice follow this order.
    operator_of: tuple[Organization, ...]
    # Every grant in the order the role chooser lists them (role, then organization's short name).
    rows: tuple[RoleGrant, ...]

    def operates(self, organization_id: int) -> bool:
        return any(organization.pk == organization_id for organization in self.operator_of)


def grants_of(user: User) -> Grants:
    """The user's grants, read in one query and remembered on this user object."""
    cached = user.__dict__.get(_CACHE_ATTRIBUTE)
    if isinstance(cached, Grants):
        return cached
    rows = tuple(
        RoleGrant.objects.filter(user_id=user.pk)
        .select_related("organization__region")
        .order_by("role", "organization__name_short", "pk")
    )
    operator_of = tuple(
        row.organization for row in rows if row.role == Role.OPERATOR and row.organization is not None
    )
    grants = Grants(roles=frozenset(row.role for row in rows), operator_of=operator_of, rows=rows)
    user.__dict__[_CACHE_ATTRIBUTE] = grants
    return grants


def forget_grants(user: User) -> None:
    """Drop what this user object remembers, so that the next question reads the grants again."""
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)


def forget_grants_of_changed_row(sender: type[RoleGrant], instance: RoleGrant, **kwargs: Any) -> None:
    """post_save / post_delete of RoleGrant: the user object the row holds (if loaded) forgets."""
    user = instance._state.fields_cache.get("user")
    if isinstance(user, User):
        forget_grants(user)


# ------------------------------------------------------------------------------------------- Predicates


def has_role(user: User | AnonymousUser | None, role: str) -> bool:
    """A logged-in, active user holding a grant of `role` (for an operator: of any organization)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return role in grants_of(user).roles


def is_admin(user: ActorLike | None) -> bool:
    """A superuser or a holder of the administrator grant: may do everything in the register.

    A token or the system is not an administrator (the services trust it instead: `trusted_or_admin`).
    """
    if isinstance(user, Actor):
        user = user.user
    if user is None:
        return False
    return user.is_superuser or Role.ADMIN in grants_of(user).roles


def is_operator_of(user: User, organization_id: int) -> bool:
    """Holds an operator grant naming this organization (an administrator does not, unless granted)."""
    return grants_of(user).operates(organization_id)


def acts_for(user: User, organization_id: int) -> bool:
    """May act on behalf of the organization: an administrator, or one of its operators."""
    return is_admin(user) or is_operator_of(user, organization_id)


def operator_organizations(user: User) -> list[Organization]:
    """The organizations the user is an operator of, by short name (the employer cabinet's choice)."""
    return list(grants_of(user).operator_of)


def is_fac_staff(user: User | AnonymousUser | None) -> bool:
    """Registers, refuses, returns and passes accreditation applications to the commission."""
    return has_role(user, Role.FAC_STAFF)


def is_secretary(user: User | AnonymousUser | None) -> bool:
    """Records the accreditation commission's decisions."""
    return has_role(user, Role.SECRETARY)


def can_read_applications(user: User | AnonymousUser | None) -> bool:
    """Reads any accreditation application and its documents (the centre's back office)."""
    return is_fac_staff(user) or is_secretary(user)


def records_accreditation(user: User) -> bool:
    """Enters accreditation records without an organization: ФАЦ staff and the commission's secretary."""
    roles = grants_of(user).roles
    return Role.FAC_STAFF in roles or Role.SECRETARY in roles


# ------------------------------------------------------------------------------------------ Refusals


def trusted_or_admin(actor: ActorLike) -> bool:
    """An actor who is not a user, or an administrator.

    Not a user means an API token (the API checks the token's organization before it calls a service) or
    the system itself (management commands, the bulk generator): both are trusted.
    """
    user = acting_user(actor)
    return user is None or is_admin(user)


def ensure_acts_for(*, actor: ActorLike, organization: Organization | None) -> None:
    """The actor may act on behalf of `organization`: a trusted actor, an administrator, or one of its
    operators."""
    if trusted_or_admin(actor):
        return
    if organization is None:
        raise PermissionDenied(str(ADMIN_ONLY))
    user = acting_user(actor)
    assert user is not None  # trusted actors returned above
    if not is_operator_of(user, organization.pk):
        raise PermissionDenied(
            _(
                "Вы не можете действовать от имени организации «%(organization)s»: "
                "у вас нет роли оператора этой организации."
            )
            % {"organization": organization}
        )


def ensure_admin(*, actor: ActorLike) -> None:
    """Only an administrator (or a trusted actor: a token or the system) may go on."""
    if not trusted_or_admin(actor):
        raise PermissionDenied(str(ADMIN_ONLY))
