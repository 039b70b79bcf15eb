"""Middleware that keeps hostile or unlucky requests from becoming server errors."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader

from frmr.core.validators import CONTROL_CHARACTERS
from frmr.integration.api.core import API_PREFIX
from web.errors.pages import bad_address_response, database_unavailable, unavailable_response

# Control characters: never part of an address. PostgreSQL refuses NUL in any text value, so a NUL that
# reached a query (a path parameter, `?q=`) used to end in a 500. Tab, CR and LF stay allowed in query
# values (a pasted search); in the path nothing of C0 or DEL is.
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(request: HttpRequest) -> bool:
    if _PATH_CONTROL.search(request.path_info):
        return True
    if not request.META.get("QUERY_STRING"):
        return False
    return any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)
        for key, values in request.GET.lists()
    )


class RejectControlCharactersMiddleware:
    """400 for a path or query with control characters, before any view or query sees them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if has_control_characters(request):
            return bad_address_response(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """503 with Retry-After when a view finds the database unreachable (web.errors.views covers the rest)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


class MethodNotAllowedPageMiddleware:
    """The site's page for a 405 (Django's own has an empty body); the API keeps its error body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith(API_PREFIX):
            return response
        if getattr(response, "streaming", False) or response.content:  # type: ignore[attr-defined]
            return response
        page = HttpResponse(loader.get_template("405.html").render(request=request), status=405)
        page["Allow"] = response.get("Allow", "")
        return page
