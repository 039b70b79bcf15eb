"""The site's CSP middleware: django-csp's, plus ЕСИА's origin in `form-action`.

«Выход» is a POST form whose answer redirects to ЕСИА's logout, and Chrome applies `form-action` to
redirects that follow a form submission. The origin is read from settings on every response, so a
changed ESIA_BASE_URL (another stand, a test's emulator on a random port) needs no second setting.
"""

from __future__ import annotations

import urllib.parse

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def esia_origin() -> str:
    parts = urllib.parse.urlsplit(settings.ESIA_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origin = esia_origin()
        if origin and not report_only:
            update = dict(parts.update or {})
            current = update.get("form-action") or []
            current = [current] if isinstance(current, str) else list(current)
            update["form-action"] = [*current, origin]
            parts.update = update
        return parts
