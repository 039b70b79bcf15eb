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
from gostkit.cms import MalformedCms, verify_detached_cms
from gostkit.encoding import b64url_decode, b64url_encode
from gostkit.hashing import streebog256
from gostkit.jwt import InvalidSignature, MalformedToken, jwt_decode, jwt_encode, jwt_unverified_header
from gostkit.keys import (
    CURVES,
    InvalidKey,
    PrivateKey,
    PublicKey,
    UnsupportedCurve,
    curve_name,
    generate_private_key,
    load_private_key_pem,
    sign_raw,
    verify_raw,
)

__all__ = [
    "CURVES",
    "Certificate",
    "InvalidCertificate",
    "InvalidKey",
    "InvalidSignature",
    "MalformedCms",
    "MalformedToken",
    "PrivateKey",
    "PublicKey",
    "UnsupportedCurve",
    "b64url_decode",
    "b64url_encode",
    "certificate_hash",
    "curve_name",
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
    "verify_detached_cms",
    "verify_raw",
]
