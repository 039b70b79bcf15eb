"""Compact JWS with ЕСИА's GOST algorithm name; the signature is the raw OpenSSL-layout one."""

from __future__ import annotations

import json
from typing import Any

from gostkit.encoding import b64url_decode, b64url_encode
from gostkit.keys import PrivateKey, PublicKey, sign_raw, verify_raw

ALGORITHM = "GOST3410_2012_256"


class MalformedToken(ValueError):
    """The string is not a three-part JWT with JSON header and payload."""


class InvalidSignature(ValueError):
    """The JWT is well formed, but its signature does not match the key."""


def _json_part(obj: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def jwt_encode(
    payload: dict[str, Any], key: PrivateKey, *, header_extra: dict[str, Any] | None = None
) -> str:
    header: dict[str, Any] = {"ver": 1, "typ": "JWT", "alg": ALGORITHM}
    header.update(header_extra or {})
    signing_input = _json_part(header) + "." + _json_part(payload)
    return signing_input + "." + b64url_encode(sign_raw(key, signing_input.encode("ascii")))


def _split(token: str) -> tuple[str, str, str]:
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise MalformedToken("a JWT has three dot-separated parts")
    return parts[0], parts[1], parts[2]


def _decode_json(part: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(part))
    except ValueError as exc:
        raise MalformedToken("a JWT part is not base64url JSON") from exc
    if not isinstance(value, dict):
        raise MalformedToken("a JWT part is not a JSON object")
    return value


def jwt_unverified_header(token: str) -> dict[str, Any]:
    return _decode_json(_split(token)[0])


def jwt_decode(token: str, pub: PublicKey) -> dict[str, Any]:
    """Checks the signature only; expiry, audience and issuer are the caller's business."""
    header_b64, payload_b64, signature_b64 = _split(token)
    header = _decode_json(header_b64)
    payload = _decode_json(payload_b64)
    if header.get("alg") != ALGORITHM:
        raise InvalidSignature(f"unsupported alg {header.get('alg')!r}")
    try:
        signature = b64url_decode(signature_b64)
    except ValueError as exc:
        raise MalformedToken("the signature is not base64url") from exc
    if not verify_raw(pub, (header_b64 + "." + payload_b64).encode("ascii"), signature):
        raise InvalidSignature("the JWT signature does not verify")
    return payload
