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
