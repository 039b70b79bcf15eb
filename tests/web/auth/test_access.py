"""web/auth/access.py: the typed request every cabinet's access decorator starts from."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from frmr.accounts.models import User
from web.auth.access import AuthenticatedHttpRequest, authenticated, login_or_not_found, login_required

pytestmark = pytest.mark.django_db


def _view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"{request.user.username}:{pk}")


def test_anonymous_is_sent_to_the_login_page_and_back() -> None:
    request = RequestFactory().get("/lk/applications/7/?tab=docs")
    request.user = AnonymousUser()
    assert authenticated(request) is None
    response = login_required(_view)(request, 7)
    assert response.status_code == 302
    assert response["Location"].endswith("?next=/lk/applications/7/%3Ftab%3Ddocs")


def test_a_logged_in_user_reaches_the_view_with_the_same_request(worker: User) -> None:
    request = RequestFactory().get("/lk/")
    request.user = worker
    assert authenticated(request) is request
    response = login_required(_view)(request, 7)
    assert response.status_code == 200 and response.content.decode() == "worker:7"


def test_a_private_address_answers_an_anonymous_visitor_404(worker: User) -> None:
    request = RequestFactory().get("/lk/applications/documents/1/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        login_or_not_found(_view)(request, 1)
    request.user = worker
    assert login_or_not_found(_view)(request, 1).status_code == 200
