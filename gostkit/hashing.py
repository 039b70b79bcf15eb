"""GOST R 34.11-2012 (Streebog) in the byte order OpenSSL prints."""

from __future__ import annotations

from gostcrypto import gosthash


def streebog256(data: bytes) -> bytes:
    return bytes(gosthash.new("streebog256", data=data).digest())
