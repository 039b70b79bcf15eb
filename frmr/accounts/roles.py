"""The roles a user can act in, and where each one's cabinet starts.

A worker needs no grant (a linked register record is enough); other roles come from RoleGrant.
Cabinets are built by different people at different times: a role whose home URL name does not
resolve yet is still listed, without a link, so nobody is sent to a page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from frmr.accounts.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WORKER = "worker"

# URL name of each role's home page. The single place to change when a cabinet appears.
ROLE_HOMES: dict[str, str] = {
    WORKER: "lk:home",
    Role.ADMIN.value: "admin:index",
    Role.OPERATOR.value: "mo:home",
    Role.FAC_STAFF.value: "fac:home",
    Role.SECRETARY.value: "fac:home",
}

ROLE_LABELS: dict[str, StrOrPromise] = {
    WORKER: gettext_lazy("Медицинский работник"),
    Role.OPERATOR.value: gettext_lazy("Оператор медицинской организации"),
    Role.FAC_STAFF.value: gettext_lazy("Сотрудник аккредитационного центра"),
    Role.SECRETARY.value: gettext_lazy("Секретарь аккредитационной комиссии"),
    Role.ADMIN.value: gettext_lazy("Администратор"),
}


@dataclass(frozen=True)
class RoleChoice:
    role: str
    organization_id: int | None = None
    organization_name: str = ""

    @property
    def key(self) -> str:
        """Stable text form, used in forms and in the session: `worker`, `operator:12`."""
        return f"{self.role}:{self.organization_id}" if self.organization_id else self.role

    @property
    def label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    @property
    def home_url(self) -> str | None:
        return role_home_url(self.role)

    def as_session(self) -> dict[str, object]:
        return {
            "role": self.role,
            "organization_id": self.organization_id,
            "organization_name": self.organization_name,
        }

    @classmethod
    def from_session(cls, data: object) -> RoleChoice | None:
        if not isinstance(data, dict) or data.get("role") not in ROLE_HOMES:
            return None
        organization_id = data.get("organization_id")
        return cls(
            role=str(data["role"]),
            organization_id=int(organization_id) if isinstance(organization_id, int) else None,
            organization_name=str(data.get("organization_name") or ""),
        )


def role_home_url(role: str) -> str | None:
    name = ROLE_HOMES.get(role)
    if name is None:
        return None
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
