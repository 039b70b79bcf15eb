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
    ClientRequest,
    Dialect,
    EsiaError,
    validate_authorization_request,
    validate_token_request,
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


def authenticate_cms(client: Client, values: dict[str, str]) -> gostkit.Certificate:
    signed = values["scope"] + values["timestamp"] + values["client_id"] + values["state"]
    return check_cms_signature(client, values["client_secret"], signed)


LEGACY = Dialect(
    ac_params=LEGACY_AC_PARAMS, te_common=LEGACY_TE_COMMON, scope_org=False, authenticate=authenticate_cms
)


def validate_legacy_authorization_request(params: QueryDict) -> ClientRequest:
    return validate_authorization_request(params, LEGACY)


def validate_legacy_token_request(params: QueryDict) -> ClientRequest:
    return validate_token_request(params, LEGACY)
