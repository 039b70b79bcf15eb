"""The typed request of a logged-in user, and the one check every cabinet's access decorator starts with.

A view behind a cabinet's decorator (`web/lk/access.py`, `web/mo/access.py`, `web/fac/access.py`) takes
an `AuthenticatedHttpRequest`: its `user` is a `User`, never `AnonymousUser`, so the view passes
`request.user` to services and selectors as it is. Which roles may open a cabinet is decided in
`frmr/accounts/permissions.py`; the decorators only translate the answer into a page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from frmr.accounts.models import User

P = ParamSpec("P")


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user has logged in (only for annotations: Django builds plain HttpRequests)."""

    user: User


AuthenticatedView = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponseBase]
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def authenticated(request: HttpRequest) -> AuthenticatedHttpRequest | None:
    """The same request, typed, when its user has logged in; None for an anonymous visitor."""
    if isinstance(request.user, User) and request.user.is_authenticated:
        return cast(AuthenticatedHttpRequest, request)
    return None


def login_required(view: AuthenticatedView[P]) -> View[P]:
    """Anonymous → the login page (back here afterwards); else the view with the typed request."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        typed = authenticated(request)
        if typed is None:
            return redirect_to_login(request.get_full_path())
        return view(typed, *args, **kwargs)

    return wrapper


def login_or_not_found(view: AuthenticatedView[P]) -> View[P]:
    """Anonymous → 404, for addresses that must not even ask a stranger to log in (private documents)."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        typed = authenticated(request)
        if typed is None:
            raise Http404(_("Страница не найдена."))
        return view(typed, *args, **kwargs)

    return wrapper
