"""Who may do what with applications (the table is in docs/accreditation.md)."""

from __future__ import annotations

from typing import Any

from frmr.accounts.models import Role, RoleGrant


def has_role(user: Any, role: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cache: dict[str, bool] = user.__dict__.setdefault("_frmr_role_cache", {})
    if role not in cache:
        cache[role] = RoleGrant.objects.filter(user=user, role=role).exists()
    return cache[role]


def is_fac_staff(user: Any) -> bool:
    """Registers, refuses, returns and passes applications to the commission."""
    return has_role(user, Role.FAC_STAFF)


def is_secretary(user: Any) -> bool:
    """Records the commission's decisions."""
    return has_role(user, Role.SECRETARY)


def can_read_applications(user: Any) -> bool:
    """Reads any application and its documents (the back office)."""
    return is_fac_staff(user) or is_secretary(user)
