from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from esia_emulator.conf import conf


class ContentSecurityPolicyMiddleware:
    """Strict CSP: scripts, styles and images come from the emulator itself, nothing inline."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        form_action = " ".join(conf.CSP_FORM_ACTION)
        self.policy = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            f"connect-src 'self'; form-action {form_action}; base-uri 'none'; frame-ancestors 'none'"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        return response
