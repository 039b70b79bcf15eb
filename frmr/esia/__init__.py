"""Client of ЕСИА (Gosuslugi): see docs/esia.md. Nothing here imports the emulator."""

from frmr.esia.client import (
    EsiaClient,
    EsiaConfig,
    authorization_url,
    exchange_code,
    fetch_person,
    get_client,
    logout_url,
    new_state,
)
from frmr.esia.data import EsiaOrganization, EsiaPerson, EsiaTokens, normalize_snils
from frmr.esia.errors import (
    EsiaError,
    EsiaStateMismatch,
    EsiaTokenInvalid,
    EsiaUnavailable,
    EsiaUserRefused,
)
from frmr.esia.signers import GostcryptoSigner, OpenSSLGostSigner, Signer, load_signer

__all__ = [
    "EsiaClient",
    "EsiaConfig",
    "EsiaError",
    "EsiaOrganization",
    "EsiaPerson",
    "EsiaStateMismatch",
    "EsiaTokenInvalid",
    "EsiaTokens",
    "EsiaUnavailable",
    "EsiaUserRefused",
    "GostcryptoSigner",
    "OpenSSLGostSigner",
    "Signer",
    "authorization_url",
    "exchange_code",
    "fetch_person",
    "get_client",
    "load_signer",
    "logout_url",
    "new_state",
    "normalize_snils",
]
