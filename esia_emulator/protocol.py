"""Checks of /v2/ac and /v3/te in the order ЕСИА applies them, with ЕСИА's error codes.

Order: the registered client and its redirect URI (refusals on the emulator's page), then, answered
to that URI: mandatory parameters, timestamp, response and access type, certificate hash, the raw
GOST signature over the version-specific string, and only then the scopes — a request without
`openid` and with a bad signature gets ESIA-007053, as on the real stand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.http import QueryDict
from django.utils import timezone

import gostkit
from esia_emulator.conf import conf
from esia_emulator.keystore import parse_certificate
from esia_emulator.models import Client

AC_PARAMS = (
    "client_id",
    "client_secret",
    "redirect_uri",
    "scope",
    "response_type",
    "state",
    "timestamp",
    "access_type",
    "client_certificate_hash",
)
TE_COMMON = (
    "client_id",
    "grant_type",
    "client_secret",
    "state",
    "redirect_uri",
    "scope",
    "timestamp",
    "token_type",
    "client_certificate_hash",
)
TE_PARAMS_BY_GRANT = {"authorization_code": ("code",), "refresh_token": ("refresh_token",)}
PERSON_SCOPES = frozenset(
    {"fullname", "birthdate", "gender", "snils", "inn", "id_doc", "birthplace", "email", "mobile",
     "contacts", "addresses", "usr_org"}
)  # fmt: skip
_TIMESTAMP = re.compile(r"^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$")

# What ЕСИА writes on the wire for each code: the OAuth `error` and the text after "ESIA-0070xx: ".
# Seen from the real stands in public reports: 007004, 007005, 007011, 007014 (English, RFC 6749
# wording) and 007053 (`access_denied` with the enum name, the same OAuth error as a refusal by the
# person). The others follow the same RFC 6749 pattern.
WIRE: dict[str, tuple[str, str]] = {
    "007002": ("invalid_client", "The client certificate does not match the client mnemonic."),
    "007003": (
        "invalid_request",
        "The request is missing a required parameter, includes an invalid parameter value, "
        "includes a parameter more than once, or is otherwise malformed.",
    ),
    "007004": ("access_denied", "The resource owner or authorization server denied the request."),
    "007005": (
        "unauthorized_client",
        "The client is not authorized to request an access token using this method.",
    ),
    "007006": ("invalid_scope", "The requested scope is invalid, unknown, or malformed."),
    "007009": (
        "unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server.",
    ),
    "007011": (
        "invalid_grant",
        "The provided authorization grant or refresh token is invalid, expired, revoked, does not "
        "match the redirection URI used in the authorization request, or was issued to another client.",
    ),
    "007012": (
        "unsupported_response_type",
        "The authorization server does not support obtaining an authorization code using this method.",
    ),
    "007013": ("invalid_scope", "The request does not contain the scope."),
    "007014": ("invalid_request", "The request does not contain the mandatory parameter"),
    "007015": ("invalid_request", "The request time is invalid."),
    "007023": ("invalid_request", "The redirect_uri is not among those allowed for the client."),
    "007053": ("access_denied", "OAuthErrorEnum.clientSecretWrong"),
    "007055": ("access_denied", "The login was made with an unconfirmed account."),
}


class EsiaError(Exception):
    """A refusal. `detail` is the emulator's own Russian explanation (its page, its log), never sent
    to the client: ЕСИА's answer carries only the code and its fixed text.
    `redirect_uri` is set once that URI has been found registered for the client."""

    def __init__(self, code: str, detail: str = "", *, redirect_uri: str = "", state: str = "") -> None:
        super().__init__(f"ESIA-{code}: {detail}")
        self.code = code
        self.detail = detail
        self.redirect_uri = redirect_uri
        self.state = state

    @property
    def error(self) -> str:
        return WIRE[self.code][0]

    @property
    def error_description(self) -> str:
        return f"ESIA-{self.code}: {WIRE[self.code][1]}"

    def as_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.error_description, "state": self.state}

    def redirect_url(self) -> str:
        params = {"error": self.error, "error_description": self.error_description}
        if self.state:
            params["state"] = self.state
        return add_query(self.redirect_uri, params)


@dataclass
class ClientRequest:
    client: Client
    certificate: gostkit.Certificate
    redirect_uri: str
    scopes: list[str]
    state: str
    scope_org: str = ""
    access_type: str = "online"
    extra: dict[str, str] = field(default_factory=dict)


def add_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def redirect_allowed(client: Client, uri: str) -> bool:
    """Registered prefixes; `*` in place of the port admits any port (tests run on free ports)."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return False
    for prefix in client.redirect_uri_prefixes:
        if ":*/" in prefix:
            head, tail = prefix.split(":*/", 1)
            pattern = re.escape(head) + r":\d{1,5}/" + re.escape(tail)
            if re.match(pattern, uri):
                return True
        elif uri.startswith(prefix):
            return True
    return False


def single(params: QueryDict, name: str) -> str:
    values = params.getlist(name)
    if len(values) > 1:
        raise EsiaError("007003", f"Параметр {name} передан несколько раз")
    return values[0] if values else ""


def require(params: QueryDict, names: tuple[str, ...]) -> dict[str, str]:
    values = {name: single(params, name) for name in names}
    missing = [name for name in names if not values[name].strip()]
    if missing:
        raise EsiaError("007014", f"Отсутствует обязательный параметр: {', '.join(missing)}")
    return values


def parse_timestamp(value: str) -> datetime:
    if not _TIMESTAMP.match(value):
        raise EsiaError("007015", "Неверный формат времени запроса: ожидается «yyyy.MM.dd HH:mm:ss +hhmm»")
    try:
        return datetime.strptime(value, "%Y.%m.%d %H:%M:%S %z")
    except ValueError as exc:
        raise EsiaError("007015", "Неверное время запроса: такой даты не существует") from exc


def check_timestamp(value: str) -> None:
    moment = parse_timestamp(value)
    window = timedelta(seconds=conf.TIMESTAMP_WINDOW_SECONDS)
    if abs(timezone.now() - moment) > window:
        raise EsiaError(
            "007015",
            f"Неверное время запроса: расхождение с временем ЕСИА больше {conf.TIMESTAMP_WINDOW_SECONDS} с",
        )


def find_client(client_id: str) -> Client:
    if not client_id.strip():
        raise EsiaError("007014", "Отсутствует обязательный параметр: client_id")
    client = Client.objects.filter(client_id=client_id).first()
    if client is None:
        raise EsiaError("007002", f"Система-клиент {client_id} не зарегистрирована в ЕСИА")
    return client


def check_scopes(client: Client, scope: str) -> list[str]:
    scopes = scope.split()
    if not scopes:
        raise EsiaError("007013", "Не указана область доступа (scope)")
    if "openid" not in scopes:
        raise EsiaError("007006", "Область доступа openid обязательна для аутентификации")
    unknown = [s for s in scopes if s not in client.scopes]
    if unknown:
        raise EsiaError("007006", f"Запрошенная область доступа не разрешена системе: {' '.join(unknown)}")
    return list(dict.fromkeys(scopes))


def check_certificate(client: Client, cert_hash: str) -> gostkit.Certificate:
    wanted = cert_hash.strip().upper()
    for pem_text in client.certificates_pem:
        cert = parse_certificate(pem_text)
        if cert.hash == wanted:
            return cert
    for other in Client.objects.exclude(client_id=client.client_id):
        if any(parse_certificate(p).hash == wanted for p in other.certificates_pem):
            raise EsiaError("007002", "Сертификат не соответствует мнемонике системы-клиента")
    raise EsiaError(
        "007053",
        "client_secret сформирован некорректно: client_certificate_hash не совпадает "
        "с хешем ГОСТ Р 34.11-2012 зарегистрированного сертификата",
    )


def check_signature(cert: gostkit.Certificate, client_secret: str, signed: str) -> None:
    try:
        signature = gostkit.b64url_decode(client_secret)
    except ValueError as exc:
        raise EsiaError("007053", "client_secret сформирован некорректно: это не base64url") from exc
    if not gostkit.verify_raw(cert.public_key, signed.encode("utf-8"), signature):
        raise EsiaError("007053", "client_secret сформирован некорректно: подпись не проверяется")


def authenticate_raw(client: Client, values: dict[str, str]) -> gostkit.Certificate:
    """v2/v3: the certificate named by its hash, then a raw GOST signature over the fields in ЕСИА's
    order (`code` only on /te)."""
    cert = check_certificate(client, values["client_certificate_hash"])
    signed = (
        values["client_id"]
        + values["scope"]
        + values["scope_org"]
        + values["timestamp"]
        + values["state"]
        + values["redirect_uri"]
        + values.get("code", "")
    )
    check_signature(cert, values["client_secret"], signed)
    return cert


@dataclass(frozen=True)
class Dialect:
    """What differs between the current and the legacy endpoints: the mandatory parameters, whether
    `scope_org` exists, and how `client_secret` proves the client. The order of checks is shared."""

    ac_params: tuple[str, ...]
    te_common: tuple[str, ...]
    scope_org: bool
    authenticate: Callable[[Client, dict[str, str]], gostkit.Certificate]


CURRENT = Dialect(ac_params=AC_PARAMS, te_common=TE_COMMON, scope_org=True, authenticate=authenticate_raw)


def trusted_redirect(params: QueryDict) -> tuple[Client, str]:
    """The client and its redirect URI, before anything else: only a registered URI may receive an
    error; a refusal here is shown on the emulator's own page."""
    client = find_client(single(params, "client_id"))
    redirect_uri = single(params, "redirect_uri")
    if not redirect_uri.strip():
        raise EsiaError("007014", "Отсутствует обязательный параметр: redirect_uri")
    if not redirect_allowed(client, redirect_uri):
        raise EsiaError("007023", "Указанный redirect_uri не зарегистрирован для системы-клиента")
    return client, redirect_uri


def validate_authorization_request(params: QueryDict, dialect: Dialect = CURRENT) -> ClientRequest:
    """`/v2/ac` (and the legacy `/ac`). Once the redirect URI is trusted every refusal goes back to
    it with the `state`; the signature is checked before the scopes, as the real stand does."""
    client, redirect_uri = trusted_redirect(params)
    state = params.get("state", "")
    try:
        values = require(params, dialect.ac_params)
        values["scope_org"] = single(params, "scope_org") if dialect.scope_org else ""
        check_timestamp(values["timestamp"])
        if values["response_type"] != "code":
            raise EsiaError("007012", f"Тип ответа {values['response_type']} не поддерживается")
        if values["access_type"] not in ("online", "offline"):
            raise EsiaError("007003", "access_type должен быть online или offline")
        cert = dialect.authenticate(client, values)
        scopes = check_scopes(client, values["scope"])
    except EsiaError as error:
        error.redirect_uri, error.state = redirect_uri, state
        raise
    return ClientRequest(
        client=client,
        certificate=cert,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=state,
        scope_org=values["scope_org"],
        access_type=values["access_type"],
    )


def validate_token_request(params: QueryDict, dialect: Dialect = CURRENT) -> ClientRequest:
    grant_type = single(params, "grant_type")
    state = single(params, "state")
    try:
        if grant_type and grant_type not in TE_PARAMS_BY_GRANT:
            raise EsiaError("007009", f"Тип разрешения {grant_type} не поддерживается")
        values = require(params, dialect.te_common + TE_PARAMS_BY_GRANT.get(grant_type, ()))
        if values["token_type"] != "Bearer":  # noqa: S105 - a protocol constant, not a secret
            raise EsiaError("007003", "token_type должен быть Bearer")
        values["scope_org"] = single(params, "scope_org") if dialect.scope_org else ""
        check_timestamp(values["timestamp"])
        client = find_client(values["client_id"])
        cert = dialect.authenticate(client, values)
        scopes = check_scopes(client, values["scope"])
    except EsiaError as error:
        error.state = state
        raise
    return ClientRequest(
        client=client,
        certificate=cert,
        redirect_uri=values["redirect_uri"],
        scopes=scopes,
        state=values["state"],
        scope_org=values["scope_org"],
        extra={name: values[name] for name in TE_PARAMS_BY_GRANT[grant_type]},
    )
