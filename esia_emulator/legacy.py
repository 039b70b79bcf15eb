"""The legacy endpoints real clients still use: `GET /aas/oauth2/ac` and `POST /aas/oauth2/te`.

`client_secret` is base64url of a detached CMS (PKCS#7) SignedData in DER over
`scope + timestamp + client_id + state`, with or without signed attributes; the signer's
certificate travels inside it, so there is no `client_certificate_hash` and no `scope_org`
(docs/esia.md, «Устаревший протокол»). Everything else — the order of checks, the codes, the
redirect of refusals — is that of the current endpoints in protocol.py.
"""

from __future__ import annotations

from django.http import QueryDict

import gostkit
from esia_emulator.keystore import parse_certificate
from esia_emulator.models import Client
from esia_emulator.protocol import (
    TE_PARAMS_BY_GRANT,
    ClientRequest,
    EsiaError,
    check_scopes,
    check_timestamp,
    find_client,
    require,
    single,
    trusted_redirect,
)

LEGACY_AC_PARAMS = (
    "client_id",
    "client_secret",
    "redirect_uri",
    "scope",
    "response_type",
    "state",
    "timestamp",
    "access_type",
)
LEGACY_TE_COMMON = (
    "client_id",
    "grant_type",
    "client_secret",
    "state",
    "redirect_uri",
    "scope",
    "timestamp",
    "token_type",
)


def signed_string(values: dict[str, str]) -> str:
    return values["scope"] + values["timestamp"] + values["client_id"] + values["state"]


def check_cms_signature(client: Client, client_secret: str, signed: str) -> gostkit.Certificate:
    """The signer's certificate, if the CMS verifies and that certificate is registered for the client."""
    try:
        der = gostkit.b64url_decode(client_secret)
    except ValueError as exc:
        raise EsiaError("007053", "client_secret сформирован некорректно: это не base64url") from exc
    try:
        signer = gostkit.verify_detached_cms(der, signed.encode("utf-8"))
    except gostkit.MalformedCms as exc:
        raise EsiaError("007053", f"client_secret не является подписью CMS (PKCS#7): {exc}") from exc
    except gostkit.InvalidSignature as exc:
        raise EsiaError("007053", f"client_secret сформирован некорректно: {exc}") from exc
    if any(parse_certificate(pem).der == signer.der for pem in client.certificates_pem):
        return signer
    for other in Client.objects.exclude(client_id=client.client_id):
        if any(parse_certificate(pem).der == signer.der for pem in other.certificates_pem):
            raise EsiaError("007002", "Сертификат подписи принадлежит другой системе-клиенту")
    raise EsiaError("007053", "Сертификат подписи не зарегистрирован для системы-клиента")


def validate_legacy_authorization_request(params: QueryDict) -> ClientRequest:
    client, redirect_uri = trusted_redirect(params)
    state = params.get("state", "")
    try:
        values = require(params, LEGACY_AC_PARAMS)
        check_timestamp(values["timestamp"])
        if values["response_type"] != "code":
            raise EsiaError("007012", f"Тип ответа {values['response_type']} не поддерживается")
        if values["access_type"] not in ("online", "offline"):
            raise EsiaError("007003", "access_type должен быть online или offline")
        cert = check_cms_signature(client, values["client_secret"], signed_string(values))
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
        access_type=values["access_type"],
    )


def validate_legacy_token_request(params: QueryDict) -> ClientRequest:
    grant_type = single(params, "grant_type")
    state = single(params, "state")
    try:
        if grant_type and grant_type not in TE_PARAMS_BY_GRANT:
            raise EsiaError("007009", f"Тип разрешения {grant_type} не поддерживается")
        values = require(params, LEGACY_TE_COMMON + TE_PARAMS_BY_GRANT.get(grant_type, ()))
        if values["token_type"] != "Bearer":  # noqa: S105 - a protocol constant, not a secret
            raise EsiaError("007003", "token_type должен быть Bearer")
        check_timestamp(values["timestamp"])
        client = find_client(values["client_id"])
        cert = check_cms_signature(client, values["client_secret"], signed_string(values))
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
        extra={name: values[name] for name in TE_PARAMS_BY_GRANT[grant_type]},
    )
