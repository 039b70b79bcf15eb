"""Keys, certificates and CMS signatures made by Debian's OpenSSL GOST engine, for interop tests.

The tests that use these are skipped when the engine is missing; scripts/test.sh installs it in CI
(`libengine-gost-openssl`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

# The engine's names for the 256-bit parameter sets (`-pkeyopt paramset:NAME`) and what they are.
ENGINE_PARAMSETS = {
    "A": "CryptoPro-A",
    "B": "CryptoPro-B",
    "C": "CryptoPro-C",
    "XA": "CryptoPro-XchA",
    "XB": "CryptoPro-XchB",
    "TCA": "TC26-256-A",
    "TCB": "TC26-256-B",
    "TCC": "TC26-256-C",
    "TCD": "TC26-256-D",
}


def gost_engine_available() -> bool:
    if shutil.which("openssl") is None:
        return False
    done = subprocess.run(
        ["openssl", "engine", "gost", "-t"], capture_output=True, timeout=20, check=False, text=True
    )
    return done.returncode == 0 and "available" in done.stdout


needs_engine = pytest.mark.skipif(
    not gost_engine_available(),
    reason="OpenSSL GOST engine missing (apt-get install libengine-gost-openssl)",
)


def openssl(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, timeout=60, check=False)


def make_key_and_cert(
    folder: Path, paramset: str, *, algorithm: str = "gost2012_256", name: str = "client"
) -> tuple[Path, Path]:
    """`openssl genpkey` + a self-signed `openssl req -x509`, as docs/esia.md tells an operator to."""
    key, cert = folder / f"{name}.key.pem", folder / f"{name}.cert.pem"
    digest = "-md_gost12_512" if algorithm == "gost2012_512" else "-md_gost12_256"
    made = openssl(
        "genpkey", "-engine", "gost", "-algorithm", algorithm, "-pkeyopt", f"paramset:{paramset}",
        "-out", str(key),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    signed = openssl(
        "req", "-engine", "gost", "-new", "-x509", "-key", str(key), digest, "-subj",
        f"/CN={name} {paramset}", "-days", "2", "-out", str(cert),
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    return key, cert


def sign_raw(key: Path, data: bytes, folder: Path) -> bytes:
    """`openssl dgst -sign`: 64 octets s‖r, what ЕСИА's current protocol takes as client_secret."""
    (folder / "to-sign").write_bytes(data)
    done = openssl(
        "dgst", "-engine", "gost", "-md_gost12_256", "-sign", str(key), "-out", str(folder / "sig"),
        str(folder / "to-sign"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return (folder / "sig").read_bytes()


def verify_raw(cert: Path, data: bytes, signature: bytes, folder: Path) -> bool:
    pub = openssl("x509", "-engine", "gost", "-in", str(cert), "-pubkey", "-noout")
    assert pub.returncode == 0, pub.stderr
    (folder / "pub.pem").write_bytes(pub.stdout)
    return verify_raw_with_key(folder / "pub.pem", data, signature, folder)


def verify_raw_with_key(public_key: Path, data: bytes, signature: bytes, folder: Path) -> bool:
    """`openssl dgst -verify` of a raw signature against a public key in PEM."""
    (folder / "to-verify").write_bytes(data)
    (folder / "sig-to-verify").write_bytes(signature)
    done = openssl(
        "dgst", "-engine", "gost", "-md_gost12_256", "-verify", str(public_key),
        "-signature", str(folder / "sig-to-verify"), str(folder / "to-verify"),
    )  # fmt: skip
    return done.returncode == 0 and b"Verified OK" in done.stdout


def sign_cms(key: Path, cert: Path, data: bytes, folder: Path, *, signed_attributes: bool) -> bytes:
    """A detached CMS SignedData in DER, as the legacy ЕСИА clients make it with `openssl cms/smime`."""
    (folder / "cms-content").write_bytes(data)
    args = [
        "cms", "-sign", "-engine", "gost", "-binary", "-outform", "DER", "-md", "md_gost12_256",
        "-signer", str(cert), "-inkey", str(key), "-in", str(folder / "cms-content"),
        "-out", str(folder / "cms.der"),
    ]  # fmt: skip
    if not signed_attributes:
        args.append("-noattr")
    done = openssl(*args)
    assert done.returncode == 0, done.stderr
    return (folder / "cms.der").read_bytes()
