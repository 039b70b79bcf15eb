"""Middleware of every request, site and API alike: its id, its metrics, and where its reads go.

`RequestContextMiddleware` comes first in both lists (config/settings.py): it binds the request id
(frmr.core.observability.logs) before anything logs, and times the whole request and its database
statements. `ReadRoutingMiddleware` (site) and `ApiReadRoutingMiddleware` (API) set the request's
read scope for frmr.core.replicas.ReplicaRouter.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

from frmr.core import replicas
from frmr.core.observability import metrics
from frmr.core.observability.logs import REQUEST_ID_HEADER, request_id_bound, request_id_from

logger = logging.getLogger("frmr.requests")
UNMATCHED_ROUTE = "unmatched"


class _DatabaseTimer:
    """An execute wrapper (Django's) that adds up the time and the number of a request's statements."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def route_of(request: HttpRequest) -> str:
    """The route's name (`public:check`), never the raw path: a label must come from a fixed set."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED_ROUTE
    return match.view_name or match.route or UNMATCHED_ROUTE


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        rid = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # The API's envelope answers the same id in `requestId` (frmr.integration.api.core.request_id).
        request.frmr_request_id = rid  # type: ignore[attr-defined]
        timer = _DatabaseTimer()
        started = time.perf_counter()
        with request_id_bound(rid), ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(timer))
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            route = route_of(request)
            status = response.status_code
            metrics.REQUEST_SECONDS.labels(route, request.method or "", f"{status // 100}xx").observe(elapsed)
            metrics.REQUEST_DB_SECONDS.labels(route).observe(timer.seconds)
            metrics.REQUEST_DB_QUERIES.labels(route).observe(timer.queries)
            if settings.FRMR_LOG_REQUESTS:
                logger.info(
                    "%s %s %s",
                    request.method,
                    route,
                    status,
                    extra={
                        "method": request.method,
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                        "db_ms": round(timer.seconds * 1000, 2),
                        "db_queries": timer.queries,
                    },
                )
        response[REQUEST_ID_HEADER] = rid
        return response


class ReadRoutingMiddleware:
    """The site: reads go to the primary unless a view says otherwise (`replicas.replica_reads`).

    A request that writes sets the `frmr_primary` cookie for FRMR_REPLICA_STICKY_SECONDS, so that the
    page the browser is sent to next (POST/redirect/GET) reads the primary too.
    """

    lag_tolerant_by_default = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        safe = request.method in replicas.SAFE_METHODS
        scope = replicas.ReadScope(
            lag_tolerant=self.lag_tolerant_by_default and safe,
            pinned=not safe or request.COOKIES.get(replicas.STICKY_COOKIE) == "1",
        )
        with replicas.read_scope_bound(scope):
            response = self.get_response(request)
        # A replica that failed under a safe request: once more, on the primary (nothing to repeat twice).
        retry = response.status_code >= 500 and safe and scope.used and not scope.wrote
        if retry and replicas.replica_failed(scope):
            with replicas.read_scope_bound(replicas.ReadScope(pinned=True)):
                response = self.get_response(request)
        if (scope.wrote or not safe) and replicas.replica_aliases():
            self.remember_write(response)
        return response

    def remember_write(self, response: HttpResponseBase) -> None:
        response.set_cookie(
            replicas.STICKY_COOKIE,
            "1",
            max_age=settings.FRMR_REPLICA_STICKY_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


class ApiReadRoutingMiddleware(ReadRoutingMiddleware):
    """The integration API: every GET may read a replica; clients keep no cookies, so none is set."""

    lag_tolerant_by_default = True

    def remember_write(self, response: HttpResponseBase) -> None:
        pass
