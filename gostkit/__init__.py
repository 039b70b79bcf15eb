"""GOST helpers shared by the register's ЕСИА client and the ЕСИА emulator.

Pure Python on top of gostcrypto and asn1crypto; byte orders follow OpenSSL's GOST engine, which is
what ЕСИА accepts (see docs/research/esia.md §7).
"""

from gostkit.certs import (
    Certificate,
    InvalidCertificate,
    certificate_hash,
    load_certificate_der,
    load_certificate_pem,
    make_self_signed_certificate,
)
from gostkit.encoding import b64url_decode, b64url_encode
from gostkit.jwt import InvalidSignature, MalformedToken, jwt_decode, jwt_encode, jwt_unverified_header
from gostkit.keys import (
    InvalidKey,
    PrivateKey,
    PublicKey,
    generate_private_key,
    load_private_key_pem,
    sign_raw,
    streebog256,
    verify_raw,
)

__all__ = [
    "Certificate",
    "InvalidCertificate",
    "InvalidKey",
    "InvalidSignature",
    "MalformedToken",
    "PrivateKey",
    "PublicKey",
    "b64url_decode",
    "b64url_encode",
    "certificate_hash",
    "generate_private_key",
    "jwt_decode",
    "jwt_encode",
    "jwt_unverified_header",
    "load_certificate_der",
    "load_certificate_pem",
    "load_private_key_pem",
    "make_self_signed_certificate",
    "sign_raw",
    "streebog256",
    "verify_raw",
]
