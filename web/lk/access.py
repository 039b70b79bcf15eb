"""Who may open the worker's cabinet: a logged-in user; the file pages also need a linked register record.

Views take an `AuthenticatedHttpRequest` (web/auth/access.py): `request.user` is the worker.
"""

from __future__ import annotations

from functools import wraps
from typing import ParamSpec

from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from frmr.accounts.models import User
from frmr.registry.models import Person
from web.auth.access import (
    AuthenticatedHttpRequest,
    AuthenticatedView,
    View,
    login_or_not_found,
    login_required,
)

P = ParamSpec("P")

__all__ = [
    "AuthenticatedHttpRequest",
    "login_or_not_found",
    "login_required",
    "own_person",
    "worker_required",
]


def worker_required(view: AuthenticatedView[P]) -> View[P]:
    """Anonymous → the login page; a user the register knows nothing about → the «no data» page."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if request.user.person_id is None:
            return redirect("auth:no_data")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def own_person(user: User) -> Person:
    """A reference to the user's own register record, for selectors that need only its key.

    Saves fetching the row that `person_file` loads anyway; `worker_required` has checked it exists.
    """
    assert user.person_id is not None
    return Person(pk=user.person_id)
