"""The site's own error pages, and the one answer both the site and the API give while the database is away.

The 500 and 503 pages are rendered without a request: no context processor runs, so nothing on them
needs the database, the session or the user — they are the pages shown exactly when those fail.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from frmr.core.availability import RETRY_AFTER_SECONDS, database_unavailable
from frmr.integration.api.core import API_PREFIX, ApiError, error_response, unavailable_error

__all__ = ["bad_address_response", "database_unavailable", "unavailable_response"]

logger = logging.getLogger("frmr.errors")


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 with Retry-After: the API's error body under /api/frmr/, the Russian page elsewhere.

    The log gets one line naming the error's class only: the driver's message may carry the
    database's host, port or user, and the page and body never show any of it.
    """
    logger.warning("Database unavailable during %s %s: %s", request.method, request.path, type(exc).__name__)
    if request.path.startswith(API_PREFIX):
        return error_response(request, unavailable_error())
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_address_response(request: HttpRequest) -> HttpResponse:
    message = _("Адрес содержит недопустимые символы (например, нулевой байт). Проверьте ссылку.")
    if request.path.startswith(API_PREFIX):
        return error_response(request, ApiError(400, message))
    return HttpResponse(loader.get_template("400.html").render({"message": message}), status=400)
