"""The API object, its envelopes, authentication, scoping by `mo`, and every error as an envelope.

Every success is `{requestId, errorUserMessage, content}` (the paged list adds `offset, limit, total`), as
in the real register. Every refusal is the real register's error body `{timestamp, code, reasonPhrase,
message}` (its clients read exactly that), with the same Russian text also in `errorUserMessage` and one
item per field in `errors[]`.
"""

from __future__ import annotations

import datetime
import http
import json
import logging
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from frmr.audit.actors import Actor
from frmr.core import replicas
from frmr.core.availability import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, database_unavailable
from frmr.integration.models import ApiToken
from frmr.integration.selectors import (
    api_token_forget,
    api_token_lookup,
    api_token_recognize,
    api_token_touch,
)
from frmr.integration.services import (
    ApiTokenInactive,
    api_rate_hit,
    api_rate_hit_reading,
    api_rate_limit,
)
from frmr.registry.models import Organization

logger = logging.getLogger("frmr.integration.api")

API_PREFIX = "/api/frmr/"


class ApiError(Exception):
    """A refusal: the status, the message for a person, and optionally per-field details."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []
        self.headers = dict(headers or {})


class _Encoder(DjangoJSONEncoder):
    pass


def request_id(request: HttpRequest) -> str:
    rid = getattr(request, "frmr_request_id", None)
    if rid is None:
        rid = str(uuid.uuid4())
        request.frmr_request_id = rid  # type: ignore[attr-defined]
    return rid


def json_response(payload: dict[str, Any], *, status: int = 200) -> HttpResponse:
    # Cyrillic stays readable in the body: МИС developers read these answers in logs.
    body = json.dumps(payload, cls=_Encoder, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def ok(request: HttpRequest, content: Any, *, status: int = 200) -> HttpResponse:
    return json_response(
        {"requestId": request_id(request), "errorUserMessage": None, "content": content}, status=status
    )


def ok_page(request: HttpRequest, content: list[Any], *, offset: int, limit: int, total: int) -> HttpResponse:
    return json_response(
        {
            "requestId": request_id(request),
            "errorUserMessage": None,
            "offset": offset,
            "limit": limit,
            "total": total,
            "content": content,
        }
    )


def _timestamp() -> str:
    # As the real register writes it: UTC, seven fractional digits.
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def _reason_phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_response(request: HttpRequest, error: ApiError) -> HttpResponse:
    response = json_response(
        {
            "timestamp": _timestamp(),
            "code": error.status,
            "reasonPhrase": _reason_phrase(error.status),
            "message": error.message,
            "requestId": request_id(request),
            "errorUserMessage": error.message,
            "content": None,
            "errors": error.errors,
        },
        status=error.status,
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


# ---------------------------------------------------------------------------------- Authentication


@dataclass(frozen=True)
class ReadAhead:
    """A read the operation is about to make, which TokenAuth runs in its rate-limit statement.

    `key` says which read it is (the operation uses the rows only if its own parameters give the same
    key); `sql` takes the named `params`. See TokenAuth.
    """

    key: Hashable
    sql: str
    params: dict[str, Any]


READ_AHEAD_ATTR = "frmr_read_ahead"


def read_ahead_rows(request: HttpRequest, key: Hashable) -> list[tuple[Any, ...]] | None:
    """The rows TokenAuth read ahead for `key` in this request, or None if it read nothing for it."""
    done = getattr(request, READ_AHEAD_ATTR, None)
    if done is None or done[0] != key:
        return None
    rows: list[tuple[Any, ...]] = done[1]
    return rows


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; then the per-token rate limit.

    One statement per request in the usual case: the token is recognized from the process's memory
    (selectors.api_token_recognize) and the rate-limit statement both counts the request and checks,
    in the database, that the token is still active.

    `read_ahead` (PostgreSQL): an operation's read, planned from the raw query string, that rides in the
    same statement as the count, so that the whole request is one round trip. The order of checks
    stays as it is — token, rate limit, then parameters, scope and lookup — because the rows are only
    handed to the operation, which uses them if its validated parameters name the same read
    (read_ahead_rows) and reads anew otherwise.
    """

    openapi_description = "Токен организации, выпущенный в кабинете медицинской организации."

    def __init__(
        self, *, read_ahead: Callable[[HttpRequest, ApiToken], ReadAhead | None] | None = None
    ) -> None:
        super().__init__()
        self.read_ahead = read_ahead

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = api_token_recognize(raw=token)
        # The expiry day never changes after issue: the remembered token's date is as good as the row's.
        if found is None or found.revoked_at is not None or found.is_expired():
            raise _refusal(token)
        plan = (
            self.read_ahead(request, found)
            # With replicas the read goes to one of them (ApiReadRoutingMiddleware), not into the primary's
            # rate-limit statement.
            if self.read_ahead and connection.vendor == "postgresql" and not replicas.replica_aliases()
            else None
        )
        try:
            if plan is None:
                wait = api_rate_hit(token=found)
            else:
                wait, rows = api_rate_hit_reading(token=found, sql=plan.sql, params=plan.params)
                setattr(request, READ_AHEAD_ATTR, (plan.key, rows))
        except ApiTokenInactive:
            api_token_forget(token=found)
            raise _refusal(token) from None
        if wait is not None:
            raise ApiError(
                429,
                f"Слишком много запросов: не больше {api_rate_limit()} в минуту на один токен. "
                f"Повторите через {wait} с.",
                headers={"Retry-After": str(wait)},
            )
        api_token_touch(token=found)
        return found


def _refusal(raw: str) -> ApiError:
    """Why the token is refused, read afresh from the database (never from the process's memory)."""
    known = api_token_lookup(raw=raw)
    if known is not None and known.revoked_at is not None:
        return ApiError(
            401,
            f"Токен {known.prefix}… («{known.name}») отозван {known.revoked_at:%d.%m.%Y}. "
            "Выпустите новый токен в кабинете медицинской организации.",
        )
    if known is not None and known.is_expired():
        return ApiError(
            401,
            f"Срок действия токена {known.prefix}… («{known.name}») истёк: он действовал по "
            f"{known.valid_until:%d.%m.%Y} включительно. Выпустите новый токен в кабинете медицинской "
            "организации.",
        )
    return ApiError(
        401,
        "Токен не найден. Проверьте заголовок Authorization: Bearer <токен> "
        "или выпустите новый токен в кабинете медицинской организации.",
    )


def token_of(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    assert isinstance(token, ApiToken)  # every operation has auth=TokenAuth()
    return token


def organization_for(request: HttpRequest, mo: str | None) -> Organization:
    """The token's organization, once `mo` (if given: the real register lets some calls leave it out)
    is checked to be it."""
    token = token_of(request)
    organization = token.organization
    if mo is not None and mo != organization.oid:
        raise ApiError(
            403,
            f"Токен выдан организации «{organization}» (OID {organization.oid}); запрашивать данные "
            f"организации {mo} нельзя. Укажите mo={organization.oid} или токен той организации.",
        )
    return organization


def acting(request: HttpRequest) -> Actor:
    """The request's actor for the registry services: its token. The services trust a token (it is
    not a user with roles): the operations check that the records are the token's organization's."""
    return Actor.of_token(token_of(request))


# ------------------------------------------------------------------------------------------ Errors

_TYPE_MESSAGES: dict[str, str] = {
    "missing": "обязательное поле не заполнено",
    "string_type": "нужна строка",
    "int_type": "нужно целое число",
    "int_parsing": "нужно целое число",
    "int_from_float": "нужно целое число",
    "float_type": "нужно число",
    "float_parsing": "нужно число",
    "decimal_parsing": "нужно число",
    "bool_type": "нужно true или false",
    "bool_parsing": "нужно true или false",
    "date_type": "нужна дата в формате ГГГГ-ММ-ДД",
    "date_parsing": "нужна дата в формате ГГГГ-ММ-ДД",
    "date_from_datetime_parsing": "нужна дата в формате ГГГГ-ММ-ДД",
    "date_from_datetime_inexact": "нужна дата без времени (ГГГГ-ММ-ДД)",
    "list_type": "нужен массив",
    "dict_type": "нужен объект",
    "model_type": "нужен объект",
    "model_attributes_type": "нужен объект",
    "union_tag_invalid": "недопустимое значение",
    "string_too_long": "слишком длинная строка",
    "string_too_short": "слишком короткая строка",
    "json_invalid": "тело запроса — не JSON",
    "json_type": "тело запроса — не JSON",
    "extra_forbidden": "такого поля в API ФРМР нет, регистр его не сохранит: уберите поле",
    "string_pattern_mismatch": "значение не подходит по формату",
    "literal_error": "недопустимое значение",
    "finite_number": "нужно конечное число",
}


def _field_path(loc: Iterable[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query"):
        parts = parts[1:]
    # ninja names the whole body after the function argument: drop it.
    if parts and parts[0] in ("payload", "params"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif str(part) in (
            "int",
            "str",
            "CodeName",
            "function-before[parse_code(), union[int,str,CodeName]]",
        ):
            continue  # a branch of a union, not a field
        else:
            path += ("." if path else "") + str(part)
    return path or "тело запроса"


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("less_than_equal", "less_than") and "le" in ctx:
        return f"значение должно быть не больше {ctx['le']}"
    if kind in ("less_than_equal", "less_than") and "lt" in ctx:
        return f"значение должно быть меньше {ctx['lt']}"
    if kind in ("greater_than_equal", "greater_than") and "ge" in ctx:
        return f"значение должно быть не меньше {ctx['ge']}"
    if kind in ("greater_than_equal", "greater_than") and "gt" in ctx:
        return f"значение должно быть больше {ctx['gt']}"
    if kind == "string_too_long" and "max_length" in ctx:
        return f"не длиннее {ctx['max_length']} символов"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return _TYPE_MESSAGES.get(kind, "недопустимое значение")


def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    items: list[dict[str, str]] = []
    in_query = False
    seen: set[tuple[str, str]] = set()
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        in_query = in_query or (bool(loc) and loc[0] == "query")
        field, message = _field_path(loc), _pydantic_message(error)
        if (field, message) not in seen:
            seen.add((field, message))
            items.append({"field": field, "message": message})
    where = "параметрах запроса" if in_query else "теле запроса"
    text = "; ".join(f"«{item['field']}»: {item['message']}" for item in items)
    # A bad query parameter is a malformed request (400); a well-formed body with bad values is 422.
    return error_response(
        request, ApiError(400 if in_query else 422, f"Ошибка в {where}: {text}.", errors=items)
    )


def from_django_validation(error: DjangoValidationError, names: Callable[[str], str]) -> ApiError:
    """A service's field-keyed ValidationError, with model field names turned into the API's JSON names."""
    items: list[dict[str, str]] = []
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            field = "тело запроса" if key == NON_FIELD_ERRORS else names(key)
            for item in errors:
                items.extend({"field": field, "message": message} for message in item.messages)
    else:
        items = [{"field": "тело запроса", "message": message} for message in error.messages]
    text = "; ".join(f"«{item['field']}»: {item['message']}" for item in items)
    return ApiError(422, f"Данные не приняты: {text}", errors=items)


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc)


def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        ApiError(
            401,
            "Нет токена: передайте заголовок Authorization: Bearer <токен>. Токен выпускается в кабинете "
            "медицинской организации (раздел «Токены API»).",
        ),
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        message = "Тело запроса не удалось прочитать: нужен корректный JSON в кодировке UTF-8."
    else:
        message = f"Запрос не выполнен (HTTP {exc.status_code})."
    return error_response(request, ApiError(exc.status_code, message))


def too_big(request: HttpRequest) -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    megabytes = f"{limit / 1048576:.1f}".replace(".", ",").removesuffix(",0")
    return ApiError(
        413,
        f"Тело запроса слишком большое: допускается не больше {megabytes} МБ ({limit} байт). "
        "Отправляйте сведения одного работника за запрос.",
    )


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, too_big(request))


def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, ApiError(403, str(exc) or "Действие не разрешено."))


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if database_unavailable(exc):
        return _unavailable(request, exc)
    logger.exception("API request %s failed", request_id(request))
    return error_response(request, server_error(request))


def server_error(request: HttpRequest) -> ApiError:
    return ApiError(
        500,
        f"Внутренняя ошибка регистра. Сообщите в поддержку идентификатор запроса {request_id(request)}.",
    )


def unavailable_error() -> ApiError:
    """While the database is unreachable: 503 with Retry-After, in the usual error body."""
    return ApiError(
        503,
        f"Регистр временно недоступен. Повторите запрос через {RETRY_AFTER_SECONDS} с.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # One line, the class only: the driver's message may name the database's host, port or user.
    logger.warning("API request %s: database unavailable (%s)", request_id(request), type(exc).__name__)
    return error_response(request, unavailable_error())


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


api = NinjaAPI(
    title="ФРМР: интеграционный API",
    version="1.0",
    description=(
        "Ресурсы, параметры, поля и конверты повторяют API федерального регистра медицинских работников. "
        "Подробности и примеры: docs/api.md."
    ),
    urls_namespace="frmr_api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=TokenAuth(),
)
_HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (ApiError, _api_error),
    (NinjaValidationError, _validation_error),
    (AuthenticationError, _auth_error),
    (HttpError, _http_error),
    (PermissionDenied, _permission_denied),
    *((error_class, _unavailable) for error_class in DATABASE_UNAVAILABLE),
    (RequestDataTooBig, _too_big),
    (Exception, _unexpected),
]
for _exc_class, _handler in _HANDLERS:
    api.add_exception_handler(_exc_class, _handler)


# ------------------------------------------------------------------------ Outside the operations


class EnvelopeFallbackMiddleware:
    """Answers under /api/frmr/ that Django itself makes (unknown path, wrong method) in the envelope."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            error = ApiError(
                404,
                f"Ресурса {request.path} нет. Ресурсы: person, person/list, person/full, person/prof, "
                "person/postgraduate, person/ext, person/cert, person/qualification, person/card, "
                "person/nomination, person/common, person/organization, person/militaryService, "
                "person/accreditation.",
            )
        elif response.status_code == 405:
            allowed = response.get("Allow", "")
            error = ApiError(
                405, f"Метод {request.method} для {request.path} не поддерживается; допустимы: {allowed}."
            )
            error.headers["Allow"] = allowed
        else:
            error = (
                server_error(request)
                if response.status_code >= 500
                else ApiError(response.status_code, f"Запрос не выполнен (HTTP {response.status_code}).")
            )
        return error_response(request, error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if database_unavailable(exception):
            return _unavailable(request, exception)
        if isinstance(exception, RequestDataTooBig):
            return error_response(request, too_big(request))
        logger.exception("API request %s failed outside an operation", request_id(request))
        return error_response(request, server_error(request))
