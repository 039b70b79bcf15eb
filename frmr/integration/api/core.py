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
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from frmr.audit.actors import Actor
from frmr.core import replicas
from frmr.core.availability import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, database_unavailable
from frmr.integration.api.text import gettext_lazy
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

    openapi_description = gettext_lazy("Токен организации, выпущенный в кабинете медицинской организации.")

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
                _(
                    "Слишком много запросов: не больше %(limit)s в минуту на один токен. Повторите "
                    "через %(wait)s с."
                )
                % {"limit": api_rate_limit(), "wait": wait},
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
            _(
                "Токен %(prefix)s… («%(name)s») отозван %(revoked_at)s. Выпустите новый токен в кабинете "
                "медицинской организации."
            )
            % {
                "prefix": known.prefix,
                "name": known.name,
                "revoked_at": format(known.revoked_at, "%d.%m.%Y"),
            },
        )
    if known is not None and known.is_expired():
        return ApiError(
            401,
            _(
                "Срок действия токена %(prefix)s… («%(name)s») истёк: он действовал по %(valid_until)s "
                "включительно. Выпустите новый токен в кабинете медицинской организации."
            )
            % {
                "prefix": known.prefix,
                "name": known.name,
                "valid_until": format(known.valid_until, "%d.%m.%Y"),
            },
        )
    return ApiError(
        401,
        _(
            "Токен не найден. Проверьте заголовок Authorization: Bearer <токен> "
            "или выпустите новый токен в кабинете медицинской организации."
        ),
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
            _(
                "Токен выдан организации «%(organization)s» (OID %(oid)s); запрашивать данные "
                "организации %(mo)s нельзя. Укажите mo=%(oid)s или токен той организации."
            )
            % {"organization": organization, "oid": organization.oid, "mo": mo},
        )
    return organization


def acting(request: HttpRequest) -> Actor:
    """The request's actor for the registry services: its token. The services trust a token (it is
    not a user with roles): the operations check that the records are the token's organization's."""
    return Actor.of_token(token_of(request))


# ------------------------------------------------------------------------------------------ Errors


def _type_message(kind: str) -> str:
    # Built per call: the messages are translated in the request's language, never kept lazy.
    messages = {
        "missing": _("обязательное поле не заполнено"),
        "string_type": _("нужна строка"),
        "int_type": _("нужно целое число"),
        "int_parsing": _("нужно целое число"),
        "int_from_float": _("нужно целое число"),
        "float_type": _("нужно число"),
        "float_parsing": _("нужно число"),
        "decimal_parsing": _("нужно число"),
        "bool_type": _("нужно true или false"),
        "bool_parsing": _("нужно true или false"),
        "date_type": _("нужна дата в формате ГГГГ-ММ-ДД"),
        "date_parsing": _("нужна дата в формате ГГГГ-ММ-ДД"),
        "date_from_datetime_parsing": _("нужна дата в формате ГГГГ-ММ-ДД"),
        "date_from_datetime_inexact": _("нужна дата без времени (ГГГГ-ММ-ДД)"),
        "list_type": _("нужен массив"),
        "dict_type": _("нужен объект"),
        "model_type": _("нужен объект"),
        "model_attributes_type": _("нужен объект"),
        "union_tag_invalid": _("недопустимое значение"),
        "string_too_long": _("слишком длинная строка"),
        "string_too_short": _("слишком короткая строка"),
        "json_invalid": _("тело запроса — не JSON"),
        "json_type": _("тело запроса — не JSON"),
        "extra_forbidden": _("такого поля в API ФРМР нет, регистр его не сохранит: уберите поле"),
        "string_pattern_mismatch": _("значение не подходит по формату"),
        "literal_error": _("недопустимое значение"),
        "finite_number": _("нужно конечное число"),
    }
    return messages.get(kind, _("недопустимое значение"))


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
    return path or _("тело запроса")


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("less_than_equal", "less_than") and "le" in ctx:
        return _("значение должно быть не больше %(le)s") % {"le": ctx["le"]}
    if kind in ("less_than_equal", "less_than") and "lt" in ctx:
        return _("значение должно быть меньше %(lt)s") % {"lt": ctx["lt"]}
    if kind in ("greater_than_equal", "greater_than") and "ge" in ctx:
        return _("значение должно быть не меньше %(ge)s") % {"ge": ctx["ge"]}
    if kind in ("greater_than_equal", "greater_than") and "gt" in ctx:
        return _("значение должно быть больше %(gt)s") % {"gt": ctx["gt"]}
    if kind == "string_too_long" and "max_length" in ctx:
        return _("не длиннее %(max_length)s символов") % {"max_length": ctx["max_length"]}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return _type_message(kind)


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
    where = _("параметрах запроса") if in_query else _("теле запроса")
    text = "; ".join(f"«{item['field']}»: {item['message']}" for item in items)
    # A bad query parameter is a malformed request (400); a well-formed body with bad values is 422.
    return error_response(
        request,
        ApiError(
            400 if in_query else 422,
            _("Ошибка в %(where)s: %(text)s.") % {"where": where, "text": text},
            errors=items,
        ),
    )


def from_django_validation(error: DjangoValidationError, names: Callable[[str], str]) -> ApiError:
    """A service's field-keyed ValidationError, with model field names turned into the API's JSON names."""
    items: list[dict[str, str]] = []
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            field = _("тело запроса") if key == NON_FIELD_ERRORS else names(key)
            for item in errors:
                items.extend({"field": field, "message": message} for message in item.messages)
    else:
        items = [{"field": _("тело запроса"), "message": message} for message in error.messages]
    text = "; ".join(f"«{item['field']}»: {item['message']}" for item in items)
    return ApiError(422, _("Данные не приняты: %(text)s") % {"text": text}, errors=items)


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc)


def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        ApiError(
            401,
            _(
                "Нет токена: передайте заголовок Authorization: Bearer <токен>. Токен выпускается в кабинете "
                "медицинской организации (раздел «Токены API»)."
            ),
        ),
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        message = _("Тело запроса не удалось прочитать: нужен корректный JSON в кодировке UTF-8.")
    else:
        message = _("Запрос не выполнен (HTTP %(status_code)s).") % {"status_code": exc.status_code}
    return error_response(request, ApiError(exc.status_code, message))


def too_big(request: HttpRequest) -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    megabytes = f"{limit / 1048576:.1f}".replace(".", ",").removesuffix(",0")
    return ApiError(
        413,
        _(
            "Тело запроса слишком большое: допускается не больше %(megabytes)s МБ (%(limit)s байт). "
            "Отправляйте сведения одного работника за запрос."
        )
        % {"megabytes": megabytes, "limit": limit},
    )


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, too_big(request))


def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, ApiError(403, str(exc) or _("Действие не разрешено.")))


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if database_unavailable(exc):
        return _unavailable(request, exc)
    logger.exception("API request %s failed", request_id(request))
    return error_response(request, server_error(request))


def server_error(request: HttpRequest) -> ApiError:
    return ApiError(
        500,
        _("Внутренняя ошибка регистра. Сообщите в поддержку идентификатор запроса %(request_id)s.")
        % {"request_id": request_id(request)},
    )


def unavailable_error() -> ApiError:
    """While the database is unreachable: 503 with Retry-After, in the usual error body."""
    return ApiError(
        503,
        _("Регистр временно недоступен. Повторите запрос через %(seconds)s с.")
        % {"seconds": RETRY_AFTER_SECONDS},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # One line, the class only: the driver's message may name the database's host, port or user.
    logger.warning("API request %s: database unavailable (%s)", request_id(request), type(exc).__name__)
    return error_response(request, unavailable_error())


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


api = NinjaAPI(
    title=gettext_lazy("ФРМР: интеграционный API"),
    version="1.0",
    description=(
        gettext_lazy(
            "Ресурсы, параметры, поля и конверты повторяют API федерального регистра медицинских работников. "
            "Подробности и примеры: docs/api.md."
        )
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
                _(
                    "Ресурса %(path)s нет. Ресурсы: person, person/list, person/full, person/prof, "
                    "person/postgraduate, person/ext, person/cert, person/qualification, person/card, "
                    "person/nomination, person/common, person/organization, person/militaryService, "
                    "person/accreditation."
                )
                % {"path": request.path},
            )
        elif response.status_code == 405:
            allowed = response.get("Allow", "")
            error = ApiError(
                405,
                _("Метод %(method)s для %(path)s не поддерживается; допустимы: %(allowed)s.")
                % {"method": request.method, "path": request.path, "allowed": allowed},
            )
            error.headers["Allow"] = allowed
        else:
            error = (
                server_error(request)
                if response.status_code >= 500
                else ApiError(
                    response.status_code,
                    _("Запрос не выполнен (HTTP %(status_code)s).") % {"status_code": response.status_code},
                )
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
