"""Error handlers named in config/urls.py (Django calls them only with DEBUG off, the default)."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader

from web.errors.pages import database_unavailable, unavailable_response


def server_error(request: HttpRequest) -> HttpResponse:
    """500 — or 503 when the failure was the database, wherever it happened (a middleware, the session).

    Django calls this inside its `except` block, so the exception is the one being handled.
    """
    exc = sys.exc_info()[1]
    if exc is not None and database_unavailable(exc):
        return unavailable_response(request, exc)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
