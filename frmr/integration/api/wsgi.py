"""A lean WSGI handler for /api/frmr/, and the dispatcher that puts it in front of the site.

The site's middleware (sessions, CSRF, CSP, locale, authentication, messages) is for people with cookies
and pages; API clients present a bearer token and receive JSON, so none of it applies to them, yet
it cost most of an API request's Python time. `ApiWSGIHandler` is Django's own WSGI handler with
`settings.FRMR_API_MIDDLEWARE` and `settings.FRMR_API_URLCONF` (/api/frmr/ and the FHIR directory /fhir/,
which takes the same tokens) instead of the site's.

Production can run it either way (docs/api.md, «Развёртывание»):

* one process group for everything: `config.wsgi:application` sends /api/frmr/ and /fhir/ to this handler and
  every other path to the site's handler;
* a process group of its own behind nginx (`location /api/frmr/`, `location /fhir/`):
  `config.wsgi_api:application`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

from frmr.integration.api.core import API_PREFIX
from frmr.integration.fhir import FHIR_PREFIX

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ApiWSGIHandler(WSGIHandler):
    """Django's WSGI handler with the API's short middleware list and URLconf."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler reads settings.MIDDLEWARE; swapping it for the duration of the build reuses
        # Django's own chain construction instead of copying it. Runs once, at start-up.
        site_middleware = settings.MIDDLEWARE
        settings.MIDDLEWARE = list(settings.FRMR_API_MIDDLEWARE)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site_middleware

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.urlconf = settings.FRMR_API_URLCONF
        return super().get_response(request)


def dispatching_application(site: WSGIApp, api: WSGIApp) -> WSGIApp:
    """One WSGI application: /api/frmr/ and /fhir/ to `api`, everything else to `site`."""
    prefixes = (API_PREFIX, FHIR_PREFIX)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        # PATH_INFO is the raw path (latin-1 decoded bytes); the prefixes are plain ASCII.
        if environ.get("PATH_INFO", "").startswith(prefixes):
            return api(environ, start_response)
        return site(environ, start_response)

    return application
