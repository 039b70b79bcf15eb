"""The emulator's own token-signing key and the registered clients' certificates, read from data files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import gostkit
from esia_emulator.conf import conf

DEV_NOTICE = (
    "DEVELOPMENT ONLY. These keys belong to the ЕСИА emulator and its demo client and are public in\n"
    "the repository on purpose, so that every run signs and verifies the same way. Never use them for\n"
    "anything but local development and tests.\n"
)


def data_dir() -> Path:
    return Path(conf.DATA_DIR)


def esia_key_path() -> Path:
    return data_dir() / "esia" / "esia.key.pem"


def esia_cert_path() -> Path:
    return data_dir() / "esia" / "esia.cert.pem"


def client_key_path() -> Path:
    return data_dir() / "client" / "client.key.pem"


def client_cert_path() -> Path:
    return data_dir() / "client" / "client.cert.pem"


def ensure_key_pair(key_path: Path, cert_path: Path, common_name: str, days: int) -> bool:
    """Creates the pair when either file is missing; returns whether it did."""
    if key_path.exists() and cert_path.exists():
        return False
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = gostkit.generate_private_key()
    cert = gostkit.make_self_signed_certificate(key, common_name, days)
    key_path.write_bytes(key.to_pem())
    cert_path.write_bytes(cert.to_pem())
    (key_path.parent / "DEVELOPMENT-ONLY.txt").write_text(DEV_NOTICE, encoding="utf-8")
    return True


@lru_cache(maxsize=1)
def signing_key() -> gostkit.PrivateKey:
    return gostkit.load_private_key_pem(esia_key_path().read_bytes())


@lru_cache(maxsize=1)
def signing_certificate() -> gostkit.Certificate:
    return gostkit.load_certificate_pem(esia_cert_path().read_bytes())


@lru_cache(maxsize=64)
def parse_certificate(pem_text: str) -> gostkit.Certificate:
    return gostkit.load_certificate_pem(pem_text.encode("ascii"))
