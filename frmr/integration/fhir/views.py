"""HTTP for the FHIR directory: plain Django views that authenticate, call directory.py, and answer
`application/fhir+json` — resources, Bundles, or an OperationOutcome for every refusal.

Plain views rather than django-ninja: FHIR describes itself with the CapabilityStatement, not OpenAPI,
and its answers (Bundle, OperationOutcome) are not the ФРМР API's envelopes.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from frmr.core.availability import RETRY_AFTER_SECONDS, database_unavailable
from frmr.integration.api.core import ApiError, TokenAuth
from frmr.integration.fhir import FHIR_PREFIX, directory, params, resources
from frmr.integration.fhir.capability import capability_statement
from frmr.integration.fhir.errors import ISSUE_CODES, FhirError, not_found, operation_outcome
from frmr.integration.models import ApiToken

logger = logging.getLogger("frmr.integration.fhir")

CONTENT_TYPE = "application/fhir+json; charset=utf-8"
_FORMATS = frozenset({"json", "application/json", "application/fhir+json"})

# The ФРМР API's authentication as is: token memory, revocation and expiry checks, the rate limit.
_token_auth = TokenAuth()


def _json(payload: dict[str, Any], *, status: int = 200) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def _refusal(error: FhirError) -> HttpResponse:
    response = _json(operation_outcome(error.code, error.message), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def _authenticate(request: HttpRequest) -> ApiToken:
    scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise FhirError(
            401,
            "login",
            _(
                "Нет токена: передайте заголовок Authorization: Bearer <токен>. Токен выпускается в кабинете "
                "медицинской организации (раздел «Токены API»)."
            ),
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        return _token_auth.authenticate(request, raw.strip())
    except ApiError as error:
        headers = dict(error.headers)
        if error.status == 401:
            headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        raise FhirError(
            error.status, ISSUE_CODES.get(error.status, "processing"), error.message, headers=headers
        ) from None


def _check_format(request: HttpRequest) -> None:
    for value in request.GET.getlist("_format"):
        if value not in _FORMATS:
            raise FhirError(
                406,
                "not-supported",
                _("Формат %(value)s не поддерживается: только JSON (_format=json).") % {"value": value},
            )


def fhir_endpoint(
    *, authenticated: bool = True
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., HttpResponse]]:
    """GET only; the token checked; any refusal (and any failure) answered as an OperationOutcome."""

    def decorate(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method != "GET":
                    raise FhirError(
                        405,
                        "not-supported",
                        _("Метод %(method)s не поддерживается: справочник только для чтения (GET).")
                        % {"method": request.method},
                        headers={"Allow": "GET"},
                    )
                _check_format(request)
                token = _authenticate(request) if authenticated else None
                return _json(view(request, token, *args, **kwargs))
            except FhirError as error:
                return _refusal(error)
            except SuspiciousOperation:
                # A Host outside ALLOWED_HOSTS (the links need it) and the like: the request's fault.
                return _refusal(FhirError(400, "invalid", _("Запрос отклонён: недопустимый заголовок Host.")))
            except Exception as exc:
                if database_unavailable(exc):
                    logger.warning("FHIR request: database unavailable (%s)", type(exc).__name__)
                    return _refusal(
                        FhirError(
                            503,
                            "transient",
                            _("Регистр временно недоступен. Повторите запрос через %(seconds)s с.")
                            % {"seconds": RETRY_AFTER_SECONDS},
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                        )
                    )
                logger.exception("FHIR request %s failed", request.path)
                return _refusal(FhirError(500, "exception", _("Внутренняя ошибка регистра.")))

        return wrapper

    return decorate


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(FHIR_PREFIX)


def _page_link(request: HttpRequest, relation: str, cursor: params.Cursor | None) -> dict[str, str] | None:
    if cursor is None:
        return None
    query = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k != "_cursor"]
    query.append(("_cursor", params.cursor_encode(cursor)))
    return {"relation": relation, "url": request.build_absolute_uri(request.path) + "?" + urlencode(query)}


def _bundle(
    request: HttpRequest, kind: str, entries: list[dict[str, Any]], nxt: Any, prev: Any
) -> dict[str, Any]:
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    links += [
        link for link in (_page_link(request, "next", nxt), _page_link(request, "previous", prev)) if link
    ]
    return {
        "resourceType": "Bundle",
        "type": kind,
        "timestamp": resources.instant(datetime.datetime.now(datetime.UTC)),
        "link": links,
        **({"entry": entries} if entries else {}),
    }


def _query(request: HttpRequest) -> dict[str, list[str]]:
    return {name: request.GET.getlist(name) for name in request.GET}


def _entries(base: str, resources_: list[dict[str, Any]], **extra: Any) -> list[dict[str, Any]]:
    return [
        {"fullUrl": f"{base}{res['resourceType']}/{res['id']}", "resource": res, **extra}
        for res in resources_
    ]


# ------------------------------------------------------------------------------------------ Views


@fhir_endpoint(authenticated=False)
def metadata(request: HttpRequest, token: None) -> dict[str, Any]:
    return capability_statement(base_url(request))


@fhir_endpoint()
def search(request: HttpRequest, token: ApiToken, resource_type: str) -> dict[str, Any]:
    kind = directory.kind_of(resource_type)
    result = directory.search(kind, _query(request), organization=token.organization)
    base = base_url(request)
    entries = _entries(base, result.matches, search={"mode": "match"})
    entries += _entries(base, result.included, search={"mode": "include"})
    return _bundle(request, "searchset", entries, result.next, result.previous)


@fhir_endpoint()
def read(request: HttpRequest, token: ApiToken, resource_type: str, resource_id: str) -> dict[str, Any]:
    kind = directory.kind_of(resource_type)
    return directory.read(kind, resource_id, organization=token.organization)


@fhir_endpoint()
def type_history(request: HttpRequest, token: ApiToken, resource_type: str) -> dict[str, Any]:
    kind = directory.kind_of(resource_type)
    result = directory.type_history(kind, _query(request), organization=token.organization)
    base = base_url(request)
    entries = []
    for entry in result.entries:
        path = f"{entry.resource_type}/{entry.resource_id}"
        entries.append(
            {
                "fullUrl": f"{base}{path}",
                **({"resource": entry.resource} if entry.resource is not None else {}),
                "request": {"method": entry.method, "url": path},
                "response": {"status": entry.status, "lastModified": resources.instant(entry.at)},
            }
        )
    return _bundle(request, "history", entries, result.next, result.previous)


@fhir_endpoint()
def unknown(request: HttpRequest, token: ApiToken, path: str) -> dict[str, Any]:
    raise not_found(
        _(
            "Адреса %(path)s в справочнике FHIR нет. Есть: metadata, %(resources)s (поиск), <ресурс>/<id> "
            "(чтение), <ресурс>/_history."
        )
        % {"path": request.path, "resources": ", ".join(directory.KINDS)}
    )
