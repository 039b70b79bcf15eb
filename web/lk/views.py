"""The main page of the worker's cabinet (ЛК медработника). Sections are added by the cabinet's owner."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from frmr.accounts.models import User
from frmr.accounts.selectors import user_current_cards


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    # Everything shown comes from the user's own linked record; there is no parameter to ask for another.
    person = user.person
    if person is None:
        return redirect("auth:no_data")
    context = {"person": person, "cards": user_current_cards(user=user)}
    return render(request, "lk/home.html", context)
