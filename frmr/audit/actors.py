"""Who acts: a user, an integration API token, or the system itself — always said explicitly.

Every write names its actor. The audit entry stores the user (when there is one) and a label that stays
readable after the user is renamed or the token revoked. The registry services trust an actor who is
not a user (a token's request is checked for ownership by the API before the service is called; a
management command is the operator of the machine), and check a user's roles.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from frmr.accounts.models import User
    from frmr.integration.models import ApiToken

# Lazy: SYSTEM is built on import; an audit entry stores the label as plain text (`Actor.label`).
SYSTEM_LABEL = gettext_lazy("система")


class ActorKind(enum.Enum):
    USER = "user"
    API_TOKEN = "api_token"  # noqa: S105 — a kind of actor, not a secret
    SYSTEM = "system"


@dataclass(frozen=True, eq=False)
class Actor:
    """One acting party. Build it with `Actor.of_user`, `Actor.of_token` or `Actor.system`."""

    kind: ActorKind
    user: User | None = None
    token: ApiToken | None = None
    # The system's label: «система», or what the system did when that is the point (a login lock).
    system_label: StrOrPromise = SYSTEM_LABEL

    @classmethod
    def of_user(cls, user: User) -> Actor:
        return cls(ActorKind.USER, user=user)

    @classmethod
    def of_token(cls, token: ApiToken) -> Actor:
        return cls(ActorKind.API_TOKEN, token=token)

    @classmethod
    def system(cls, label: StrOrPromise = SYSTEM_LABEL) -> Actor:
        return cls(ActorKind.SYSTEM, system_label=label or SYSTEM_LABEL)

    @property
    def label(self) -> str:
        """The audit entry's `actor_label` (docs/audit.md), at most 250 characters."""
        if self.user is not None:
            return user_label(self.user)[:250]
        if self.token is not None:
            return self.token.label[:250]
        return str(self.system_label)[:250]


SYSTEM = Actor.system()

# What a service accepts as its actor: the request's user as it is, or an explicit Actor.
ActorLike = Union["User", Actor]


def as_actor(actor: ActorLike) -> Actor:
    if isinstance(actor, Actor):
        return actor
    from frmr.accounts.models import User

    if not isinstance(actor, User):
        # No implicit "system": a caller without a user says so with SYSTEM or Actor.of_token.
        raise TypeError(f"actor must be a User or an Actor, not {type(actor).__name__}")
    return Actor.of_user(actor)


def acting_user(actor: ActorLike) -> User | None:
    """The user behind `actor`, or None for a token or the system (whom the services trust)."""
    return as_actor(actor).user


def user_label(user: User) -> str:
    """«Фамилия Имя Отчество (login)»: the name as it is now, with the login that never changes."""
    name = " ".join(part for part in (user.last_name, user.first_name, user.patronymic) if part)
    return f"{name} ({user.username})" if name else user.username
