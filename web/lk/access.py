"""Who may open the cabinet: a logged-in user; the file pages also need a linked register record."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from frmr.accounts.models import User
from frmr.registry.models import Person

View = Callable[..., HttpResponseBase]


def worker_required(view: View) -> View:
    """Anonymous → the login page; a user the register knows nothing about → the «no data» page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        assert isinstance(user, User)
        if user.person_id is None:
            return redirect("auth:no_data")
        return view(request, *args, **kwargs)

    return wrapper


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def own_person(user: User) -> Person:
    """A reference to the user's own register record, for selectors that need only its key.

    Saves fetching the row that `person_file` loads anyway; `worker_required` has checked it exists.
    """
    assert user.person_id is not None
    return Person(pk=user.person_id)
