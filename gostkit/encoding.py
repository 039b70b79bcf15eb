"""Base64url as ЕСИА's peers send it: url-safe or standard alphabet, padded or not."""

from __future__ import annotations

import base64
import binascii


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    # Clients in the wild send url-safe with and without padding and plain standard base64,
    # so all three are normalised to one alphabet before decoding.
    cleaned = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    if any(ch not in _URLSAFE for ch in cleaned) or len(cleaned) % 4 == 1:
        raise ValueError("not base64")
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64") from exc


_URLSAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
