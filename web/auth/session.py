"""What the login keeps in the session, in one place (other cabinets read the active role from here)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest

from frmr.accounts.roles import RoleChoice

PENDING_KEY = "esia.pending"  # state → {"created": epoch seconds, "next": path}
ESIA_SESSION_KEY = "esia.session"  # what ЕСИА told about this login: oid, sid, method, id_token
ORGANIZATIONS_KEY = "esia.organizations"  # organizations ЕСИА listed for the person (no-data page)
ACTIVE_ROLE_KEY = "frmr.active_role"
# Read by the header (a template cannot look up a dotted key): «Сменить роль» when there is a choice.
ROLE_COUNT_KEY = "frmr_role_count"
MAX_PENDING = 5  # several tabs may start a login at once; each keeps its own state

StateCheck = Literal["ok", "missing", "expired", "mismatch"]


@dataclass(frozen=True)
class PendingLogin:
    check: StateCheck
    next_url: str = ""


def remember_pending_login(request: HttpRequest, *, state: str, next_url: str) -> None:
    pending: dict[str, Any] = dict(request.session.get(PENDING_KEY) or {})
    pending[state] = {"created": time.time(), "next": next_url}
    newest = sorted(pending.items(), key=lambda item: item[1].get("created", 0))[-MAX_PENDING:]
    request.session[PENDING_KEY] = dict(newest)


def take_pending_login(request: HttpRequest, *, state: str) -> PendingLogin:
    """Single use: a state is forgotten once an answer with it arrives, whatever the verdict."""
    pending: dict[str, Any] = dict(request.session.get(PENDING_KEY) or {})
    if not state or not pending:
        return PendingLogin("missing")
    # compare_digest refuses non-ASCII str, and `state` comes from the address bar: compare bytes.
    wanted = state.encode("utf-8", "surrogatepass")
    match = next(
        (key for key in pending if secrets.compare_digest(str(key).encode("utf-8", "surrogatepass"), wanted)),
        None,
    )
    if match is None:
        return PendingLogin("mismatch")
    entry = pending.pop(match)
    request.session[PENDING_KEY] = pending
    if time.time() - float(entry.get("created", 0)) > settings.ESIA_STATE_LIFETIME_SECONDS:
        return PendingLogin("expired")
    return PendingLogin("ok", str(entry.get("next") or ""))


def set_active_role(request: HttpRequest, choice: RoleChoice) -> None:
    request.session[ACTIVE_ROLE_KEY] = choice.as_session()


def get_active_role(request: HttpRequest) -> RoleChoice | None:
    """The role the user chose for this session (None until chosen). Cabinets check it is still granted."""
    return RoleChoice.from_session(request.session.get(ACTIVE_ROLE_KEY))
