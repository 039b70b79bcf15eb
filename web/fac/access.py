"""Who may open the accreditation centre's back office: ФАЦ staff and the commission's secretaries.

Views take an `AuthenticatedHttpRequest` (web/auth/access.py). An anonymous visitor is sent to the
login page; a logged-in user without either role gets the 403 page (`staff_only`), or 404 where even
the existence of the address must not be confirmed (`staff_only_unseen`, a document's address).
The roles themselves are decided in `frmr/accounts/permissions.py`.
"""

from __future__ import annotations

from functools import wraps
from typing import ParamSpec

from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from frmr.accounts.permissions import can_read_applications
from web.auth.access import AuthenticatedHttpRequest, AuthenticatedView, View, login_required

P = ParamSpec("P")

__all__ = ["AuthenticatedHttpRequest", "staff_only", "staff_only_unseen"]


def staff_only(view: AuthenticatedView[P]) -> View[P]:
    """Anonymous → the login page; without the fac_staff or secretary role → the 403 page."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not can_read_applications(request.user):
            return render(request, "fac/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def staff_only_unseen(view: AuthenticatedView[P]) -> View[P]:
    """Anonymous → the login page; without the fac_staff or secretary role → 404 (docs/uploads.md)."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not can_read_applications(request.user):
            raise Http404(_("Документ не найден."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)
